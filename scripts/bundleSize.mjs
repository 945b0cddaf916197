#!/usr/bin/env node
// Prints what a browser app ships of rxllm — the built ESM package bundled from a typical import
// (streamChat$, accumulate, trackMetrics and the OpenAI provider), minified and gzipped — and exits
// non-zero above the budget. The peer (rxjs) and the dependencies (axios, eventsource-parser,
// io-ts, fp-ts) are excluded: an app has or shares them anyway. docs/browser.md explains the budget.
// Usage: node scripts/bundleSize.mjs [--json] [--budget-only]   (after `npm run build`)
// --budget-only measures only what the budget check reads (core + openai, alone and with its
// dependencies), not the two larger entries that are printed for information.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';

/** The budget, in bytes of minified+gzipped code (docs/browser.md, "Bundle size"). */
export const BUDGET_BYTES = 32 * 1024;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const NODE_MODULES = join(ROOT, 'node_modules');
const PEER = /^rxjs(\/|$)/;
const DEPENDENCIES = /^(axios|eventsource-parser|io-ts|fp-ts)(\/|$)/;
/** The dependencies' browser ES builds (the same files the browser test's import map loads). */
const DEPENDENCY_ENTRIES = {
  axios: 'axios/dist/esm/axios.js',
  'eventsource-parser': 'eventsource-parser/dist/index.js',
  'io-ts': 'io-ts/es6/index.js',
};

/** What each measured bundle imports, as an app would write it. */
export const BUNDLES = {
  'core + openai': `export { streamChat$, accumulate, trackMetrics } from 'rxllm/core';\nexport { openai } from 'rxllm/providers/openai';\n`,
  'root entry + openai by id': `export { streamChat$, accumulate, trackMetrics } from 'rxllm';\n`,
  'whole root entry': `export * from 'rxllm';\n`,
};

/**
 * Bundles `source` from dist/ with rollup, minifies it with terser and gzips it (level 9). The
 * peer and the dependencies stay out, unless `withDependencies` (then only the peer, rxjs, does).
 */
export async function measure(source, { withDependencies = false } = {}) {
  const bundle = await rollup({
    input: 'entry',
    external: (id) => PEER.test(id) || (!withDependencies && DEPENDENCIES.test(id)),
    plugins: [
      withDependencies && browserDependencies(),
      {
        name: 'built-package',
        resolveId(id) {
          if (id === 'entry') return id;
          if (id === 'rxllm') return join(DIST, 'index.mjs');
          if (id.startsWith('rxllm/')) return join(DIST, `${id.slice('rxllm/'.length)}.mjs`);
          return null;
        },
        load: (id) => (id === 'entry' ? source : null),
      },
      terser({ module: true, compress: { passes: 2 }, format: { comments: false } }),
    ],
    onwarn(warning, warn) {
      // tslib-style helpers in the dependencies' ES builds read a top-level `this`: harmless
      if (warning.code !== 'THIS_IS_UNDEFINED') warn(warning);
    },
  });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  const code = output.map((part) => (part.type === 'chunk' ? part.code : '')).join('');
  return { minBytes: Buffer.byteLength(code), gzipBytes: gzipSync(code, { level: 9 }).length };
}

/** Resolves the dependencies to their browser ES builds; their extensionless relative imports get `.js`. */
const browserDependencies = () => ({
  name: 'browser-dependencies',
  resolveId(id, importer) {
    if (DEPENDENCY_ENTRIES[id]) return join(NODE_MODULES, DEPENDENCY_ENTRIES[id]);
    const fp = /^fp-ts\/(?:lib\/|es6\/)?(.*)$/.exec(id);
    if (fp) return join(NODE_MODULES, 'fp-ts', 'es6', `${fp[1] || 'index'}.js`);
    if (importer?.startsWith(NODE_MODULES) && id.startsWith('.')) {
      const path = resolve(dirname(importer), id);
      for (const file of [path, `${path}.js`, join(path, 'index.js')]) if (existsSync(file) && statSync(file).isFile()) return file;
    }
    return null;
  },
});

const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(join(DIST, 'index.mjs'))) {
    console.error('bundle size: no dist/index.mjs — run `npm run build` first');
    process.exit(2);
  }
  const results = {};
  const measured = process.argv.includes('--budget-only') ? ['core + openai'] : Object.keys(BUNDLES);
  for (const name of measured) results[name] = await measure(BUNDLES[name]);
  results['core + openai, with dependencies'] = await measure(BUNDLES['core + openai'], { withDependencies: true });
  const main = results['core + openai'];
  const over = main.gzipBytes > BUDGET_BYTES;
  if (process.argv.includes('--json')) console.log(JSON.stringify({ budgetBytes: BUDGET_BYTES, over, results }));
  else {
    for (const [name, r] of Object.entries(results)) {
      const excluded = name.endsWith('with dependencies') ? 'rxjs (peer) excluded' : 'rxjs/axios/io-ts/fp-ts/eventsource-parser excluded';
      console.log(`bundle size: ${name}: ${kB(r.gzipBytes)} min+gzip (${kB(r.minBytes)} min), ${excluded}`);
    }
    console.log(`bundle size: budget for core + openai ${kB(BUDGET_BYTES)}: ${over ? 'OVER' : 'within'}`);
  }
  process.exit(over ? 1 : 0);
}
