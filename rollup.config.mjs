import { readdirSync, existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { builtinModules } from 'node:module';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

/** One entry per public subpath of the exports map. */
const entries = {
  index: 'lib/index.ts',
  operators: 'operators/index.ts',
  testing: 'testing/index.ts',
  redis: 'redis/index.ts',
};
for (const name of readdirSync('providers')) {
  if (existsSync(`providers/${name}/index.ts`)) entries[`providers/${name}`] = `providers/${name}/index.ts`;
}

// Dependencies and peers stay external: the package ships only its own code.
const external = (id) =>
  /^(rxjs|axios|eventsource-parser|io-ts|fp-ts|ioredis)(\/|$)/.test(id) ||
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

const ts = () =>
  typescript({
    tsconfig: './tsconfig.json',
    include: ['lib/**/*.ts', 'operators/**/*.ts', 'providers/**/*.ts', 'testing/**/*.ts', 'redis/**/*.ts', 'cli/**/*.ts'],
    exclude: ['spec/**', 'bench/**', 'examples/**'],
    compilerOptions: { declaration: false, declarationMap: false, outDir: 'dist', rootDir: '.', sourceMap: true, noCheck: true },
    noEmitOnError: true,
  });

export default [
  {
    input: entries,
    external,
    plugins: [ts(), pruneStale()],
    output: [
      { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs', sourcemap: true },
      { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', sourcemap: true, exports: 'named' },
    ],
  },
  {
    input: { cli: 'cli/main.ts' },
    external,
    plugins: [ts(), pruneStale()],
    output: { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/cli-[name]-[hash].cjs', banner: '#!/usr/bin/env node', sourcemap: true },
  },
  // the declarations are made once and written twice (.d.mts for import, .d.cts for require)
  {
    input: entries,
    external,
    plugins: [dts({ tsconfig: './tsconfig.json' }), pruneStale()],
    output: ['mts', 'cts'].map((ext) => ({ dir: 'dist', format: 'es', entryFileNames: `[name].d.${ext}`, chunkFileNames: `chunks/[name]-[hash].d.${ext}` })),
  },
];
