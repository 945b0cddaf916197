import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const PAGE_DIR = join(__dirname, 'page');

/**
 * The bare imports of the built bundle (dist/index.mjs) and of the page, mapped to the packages'
 * ES module builds in node_modules: the browser loads the package as published, with no bundler.
 */
export const IMPORT_MAP = {
  imports: {
    rxllm: '/dist/index.mjs',
    'rxllm/operators': '/dist/operators.mjs',
    rxjs: '/node_modules/rxjs/dist/esm/index.js',
    // axios's browser ES build: its `index.js` would pull the Node http adapter
    axios: '/node_modules/axios/dist/esm/axios.js',
    'eventsource-parser': '/node_modules/eventsource-parser/dist/index.js',
    'io-ts': '/node_modules/io-ts/es6/index.js',
    // the bundle imports fp-ts/lib/Either (CommonJS); fp-ts/es6 holds the same modules as ES modules
    'fp-ts/lib/': '/node_modules/fp-ts/es6/',
    'fp-ts/es6/': '/node_modules/fp-ts/es6/',
    tslib: '/node_modules/tslib/tslib.es6.mjs',
  },
};

/** The packages the page may load from node_modules; nothing else there is served. */
const SERVED_PACKAGES = ['rxjs', 'axios', 'eventsource-parser', 'io-ts', 'fp-ts', 'tslib'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** What a page server serves besides the default page (spec/browser/page) and its imports. */
export interface PageServerOptions {
  /** the HTML file answered at `/`, its `<!-- importmap -->` replaced by the import map (default spec/browser/page/index.html) */
  html?: string;
  /** more HTML pages, by path, served as `html` is: `{ '/profile': file }` */
  pages?: Record<string, string>;
  /** bare imports added to `IMPORT_MAP`'s */
  imports?: Record<string, string>;
  /** packages served from node_modules besides the default ones (`@angular/core`) */
  packages?: string[];
  /** folders served besides `/page`: `{ app: dir }` answers `/app/*` from `dir` */
  folders?: Record<string, string>;
  /** the routes that are not files, by path, for any method: `{ '/api/chat': relay.handle }` */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
}

export interface PageServer {
  /** e.g. `http://127.0.0.1:40123` */
  url: string;
  /** the paths requested that were not found, for a test to show */
  missing: string[];
  close(): Promise<void>;
}

/**
 * A static server on loopback for the browser test: `/` is the page (spec/browser/page/index.html
 * with the import map written in), `/page/*` its scripts, `/dist/*` the built package and
 * `/node_modules/<pkg>/*` the dependencies' ES builds. The ES builds of rxjs and io-ts import
 * without file extensions (`./internal/Observable`), as bundlers allow; a browser asks for exactly
 * that URL, so a path with no file behind it is answered with the `.js` file of that name, and a
 * folder with its `index.js`. `options` serve another page beside the same files (the Angular
 * example's, with more imports and folders, and the relay as a route of the same origin).
 */
export async function startPageServer(options: PageServerOptions = {}): Promise<PageServer> {
  const missing: string[] = [];
  const importMap = { imports: { ...IMPORT_MAP.imports, ...options.imports } };
  const packages = [...SERVED_PACKAGES, ...(options.packages ?? [])];
  const folders: Record<string, string> = { page: PAGE_DIR, dist: join(ROOT, 'dist'), ...options.folders };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://page').pathname);
    const route = options.routes?.[path];
    if (route) return route(req, res);
    if (req.method !== 'GET') return void res.writeHead(405).end();
    const page = path === '/' || path === '/index.html' ? (options.html ?? join(PAGE_DIR, 'index.html')) : options.pages?.[path];
    if (page) return send(res, '.html', readFileSync(page, 'utf8').replace('<!-- importmap -->', importMapTag(importMap)));
    const file = fileFor(path, folders, packages);
    if (!file) {
      missing.push(path);
      return void res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
    }
    send(res, extname(file), readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    missing,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

const importMapTag = (importMap: { imports: Record<string, string> }) => `<script type="importmap">${JSON.stringify(importMap)}</script>`;

function send(res: ServerResponse, ext: string, body: string | Buffer) {
  res.writeHead(200, { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  res.end(body);
}

/** The file a URL path names, inside the served folders only; `undefined` when there is none. */
function fileFor(path: string, folders: Record<string, string>, packages: readonly string[]): string | undefined {
  const [, top, name] = /^\/([^/]+)\/?(.*)$/.exec(path) ?? [];
  let base: string;
  let rest = name ?? '';
  if (top === 'node_modules') {
    const pkg = packages.find((p) => rest === p || rest.startsWith(`${p}/`));
    if (!pkg) return undefined;
    base = join(ROOT, 'node_modules', pkg);
    rest = rest.slice(pkg.length);
  } else if (top !== undefined && Object.hasOwn(folders, top)) base = folders[top];
  else return undefined;
  const wanted = normalize(join(base, rest));
  if (wanted !== base && !wanted.startsWith(base + sep)) return undefined;
  for (const candidate of [wanted, `${wanted}.js`, join(wanted, 'index.js')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}
