import { readdirSync, existsSync, rmSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { builtinModules, createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import ts from 'typescript';
import { dts } from 'rollup-plugin-dts';

/** One entry per public subpath of the exports map. */
const entries = {
  index: 'lib/index.ts',
  core: 'lib/assembly/core.ts',
  operators: 'operators/index.ts',
  testing: 'testing/index.ts',
  redis: 'redis/index.ts',
  otel: 'otel/index.ts',
};
for (const name of readdirSync('providers')) {
  if (existsSync(`providers/${name}/index.ts`)) entries[`providers/${name}`] = `providers/${name}/index.ts`;
}

// Dependencies and peers stay external: the package ships only its own code.
const external = (id) =>
  /^(rxjs|axios|eventsource-parser|io-ts|fp-ts|ioredis|@opentelemetry\/api)(\/|$)/.test(id) ||
  id.startsWith('node:') ||
  builtinModules.includes(id);

// Hashed chunk names change between builds: once every config below has written, the files an
// earlier build left in dist/ are removed, so the package ships only what this build made.
const written = new Set();
let building = 0;
const pruneStale = () => {
  building++;
  return {
    name: 'prune-stale',
    writeBundle({ dir }, bundle) {
      for (const name of Object.keys(bundle)) written.add(resolve(dir, name)).add(resolve(dir, `${name}.map`));
    },
    closeBundle() {
      if (--building === 0 && written.size > 0) prune('dist');
    },
  };
};
const prune = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.')) prune(path);
    } else if (!written.has(resolve(path))) rmSync(path);
  }
};

// JS: each file is compiled on its own (isolatedModules: no program, no type check), once for the
// library and the CLI builds; its map's sources are relative to it, so dist's maps reach the .ts.
const compilerOptions = {
  ...ts.convertCompilerOptionsFromJson(ts.readConfigFile('tsconfig.json', ts.sys.readFile).config.compilerOptions, '.').options,
  declaration: false,
  sourceMap: true,
};
const compiled = new Map();
const transpile = () => ({
  name: 'transpile',
  resolveId(source, importer) {
    if (!importer?.endsWith('.ts') || !source.startsWith('.')) return null;
    const base = resolve(dirname(importer), source);
    return [`${base}.ts`, join(base, 'index.ts')].find((file) => existsSync(file)) ?? null;
  },
  load(id) {
    if (!id.endsWith('.ts')) return null;
    if (!compiled.has(id)) {
      const out = ts.transpileModule(readFileSync(id, 'utf8'), { compilerOptions, fileName: id, reportDiagnostics: true });
      if (out.diagnostics.length > 0) {
        this.error(ts.formatDiagnostics(out.diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' }));
      }
      compiled.set(id, { code: out.outputText.replace(/\n\/\/# sourceMappingURL=.*$/, ''), map: out.sourceMapText });
    }
    return compiled.get(id);
  },
});

// Declarations: tsc (noCheck) writes them to .build/types/ in a child process started by the first
// config, so it runs beside the JS builds; the last config bundles them. .build/ is emptied first,
// so nothing an earlier build left there is read.
let tsc;
const declarations = () =>
  (tsc ??= new Promise((done, fail) => {
    rmSync('.build', { recursive: true, force: true });
    mkdirSync('.build');
    const config = {
      extends: '../tsconfig.json',
      compilerOptions: { noCheck: true, declaration: true, emitDeclarationOnly: true, rootDir: '..', outDir: 'types' },
      files: Object.values(entries).map((file) => `../${file}`),
      include: [],
    };
    writeFileSync('.build/tsconfig.json', `${JSON.stringify(config, null, 2)}\n`);
    const child = spawn(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', '.build/tsconfig.json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (part) => (output += part));
    child.stderr.on('data', (part) => (output += part));
    const stop = () => child.kill();
    process.on('exit', stop);
    child.on('close', (code) => {
      process.off('exit', stop);
      if (code === 0) done();
      else fail(new Error(`tsc -p .build/tsconfig.json (the declarations) failed:\n${output}`));
    });
  }));
const startDeclarations = { name: 'start-declarations', buildStart: () => void declarations().catch(() => {}) };
const awaitDeclarations = { name: 'await-declarations', buildStart: () => declarations() };

export default [
  {
    input: entries,
    external,
    plugins: [startDeclarations, transpile(), pruneStale()],
    output: [
      { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs', sourcemap: true },
      { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', sourcemap: true, exports: 'named' },
    ],
  },
  {
    input: { cli: 'cli/main.ts' },
    external,
    plugins: [transpile(), pruneStale()],
    output: { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/cli-[name]-[hash].cjs', banner: '#!/usr/bin/env node', sourcemap: true },
  },
  // the declarations are made once and written twice (.d.mts for import, .d.cts for require); a
  // chunk is named after its module without the .d of .d.ts
  {
    input: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, `.build/types/${file.replace(/\.ts$/, '.d.ts')}`])),
    external,
    plugins: [awaitDeclarations, dts({ tsconfig: './tsconfig.json' }), pruneStale()],
    output: ['mts', 'cts'].map((ext) => ({ dir: 'dist', format: 'es', entryFileNames: `[name].d.${ext}`, chunkFileNames: ({ name }) => `chunks/${name.replace(/\.d$/, '')}-[hash].d.${ext}` })),
  },
];
