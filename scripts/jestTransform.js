// The jest transform of the TypeScript sources: each file compiled on its own by
// `ts.transpileModule` to CommonJS (tsconfig.json's options, as the build compiles them, with
// `module: commonjs`), through a cache in node_modules/.cache/rxllm-jest keyed by the file's text.
//
// Why not ts-jest: each jest worker compiles for itself what it loads and none is cached yet, so on
// a clean clone every worker compiled most of the sources again (about 10 s of CPU each, 40 s of
// the suite on 2 cores). `precompile` (jest's globalSetup, scripts/jestPrecompile.js) compiles
// every source once before the workers start; a worker then reads the result. Like ts-jest with
// isolatedModules, no type is checked here (`tsc --noEmit` runs beside jest, scripts/test.mjs);
// unlike ts-jest, `jest.mock` calls are not hoisted above the imports (no spec uses them).
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'rxllm-jest');
/** the folders of tsconfig.json's `include` that hold what jest loads */
const SOURCES = ['lib', 'operators', 'providers', 'testing', 'redis', 'cli', 'spec'];

/** what a compiled file depends on besides its own text: the compiler, its options, this file */
const salt = createHash('sha1')
  .update(require('typescript/package.json').version)
  .update(readFileSync(join(ROOT, 'tsconfig.json')))
  .update(readFileSync(__filename))
  .digest('hex');

const keyOf = (source, path) => createHash('sha1').update(salt).update(path).update('\0').update(source).digest('hex');

let compiler;
/** TypeScript and the compiler options, loaded at the first file that is not in the cache */
function loadCompiler() {
  if (compiler) return compiler;
  const ts = require('typescript');
  const { config, error } = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  if (error) throw new Error(`jestTransform: tsconfig.json: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  const { options, errors } = ts.convertCompilerOptionsFromJson(config.compilerOptions, ROOT);
  if (errors.length > 0) throw new Error(`jestTransform: tsconfig.json: ${errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, '\n')).join('; ')}`);
  compiler = {
    ts,
    options: {
      ...options,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      isolatedModules: true,
      sourceMap: true,
      inlineSourceMap: false,
      inlineSources: false,
      declaration: false,
      declarationMap: false,
      outDir: undefined,
    },
  };
  return compiler;
}

/** `{ code, map }` of one file, compiled now */
function compile(source, path) {
  const { ts, options } = loadCompiler();
  const { outputText, sourceMapText, diagnostics } = ts.transpileModule(source, { fileName: path, compilerOptions: options, reportDiagnostics: true });
  const syntax = (diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (syntax.length > 0) {
    throw new SyntaxError(`${path}: ${syntax.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`);
  }
  const map = JSON.parse(sourceMapText);
  map.file = path;
  map.sources = [path];
  return { code: outputText.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'), map: JSON.stringify(map) };
}

/** `{ code, map }` from the cache, else compiled and stored (written whole, then renamed: workers read it at once) */
function transformed(source, path, key = keyOf(source, path)) {
  const file = join(CACHE, `${key}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    const result = compile(source, path);
    mkdirSync(CACHE, { recursive: true });
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, JSON.stringify(result));
    renameSync(partial, file);
    return result;
  }
}

/** Compiles every source not yet in the cache, in this process. */
function precompile() {
  for (const folder of SOURCES) {
    let names;
    try {
      names = readdirSync(join(ROOT, folder), { recursive: true });
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
      const path = join(ROOT, folder, name);
      try {
        const source = readFileSync(path, 'utf8');
        const key = keyOf(source, path);
        if (!existsSync(join(CACHE, `${key}.json`))) transformed(source, path, key);
      } catch {
        // a file that does not compile fails where a spec loads it, with jest's report
      }
    }
  }
}

module.exports = {
  getCacheKey: (source, path) => keyOf(source, path),
  process: (source, path) => transformed(source, path),
  precompile,
};
