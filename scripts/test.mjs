// `npm test`: first the build (the specs of dist/ need it) and, beside it, the compilation of the
// sources into jest's transform cache (scripts/jestTransform.js; jest's globalSetup then finds it
// done); then jest, and beside it the type check (tsc --noEmit over the library and the specs).
// Arguments go to jest (`npm test -- --json --outputFile=report.json`). Fails when any step fails;
// the type errors are printed after jest's report.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const jest = require.resolve('jest/bin/jest');

const run = (args, stdio) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio });
    let output = '';
    child.stdout?.on('data', (part) => (output += part));
    child.stderr?.on('data', (part) => (output += part));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });

const rollup = require.resolve('rollup/dist/bin/rollup');
const [build] = await Promise.all([
  run([rollup, '-c', '--silent'], ['ignore', 'inherit', 'inherit']),
  run(['-e', "require('./scripts/jestTransform').precompile()"], ['ignore', 'inherit', 'inherit']),
]);
if (build.code !== 0) {
  process.stderr.write('\nbuild failed (rollup -c)\n');
  process.exit(build.code);
}

const [typecheck, tests] = await Promise.all([run([tsc, '-p', 'tsconfig.json', '--noEmit'], ['ignore', 'pipe', 'pipe']), run([jest, ...process.argv.slice(2)], 'inherit')]);
if (typecheck.code !== 0) {
  process.stderr.write(`\ntypecheck failed (tsc -p tsconfig.json --noEmit):\n${typecheck.output}\n`);
}
process.exit(tests.code !== 0 ? tests.code : typecheck.code !== 0 ? 1 : 0);
