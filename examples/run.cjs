// Runs an example by hand, with no build step and no network: `node examples/run.cjs basic`
// (or recovery, multiplexing, advanced_streaming, streaming_coordinator_showcase, nest-sse, tool_agent,
// otel — which sends to OTEL_EXPORTER_OTLP_ENDPOINT, default http://localhost:4318).
// It compiles the TypeScript sources on the fly with the project's own `typescript` package.
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: filename,
  });
  module._compile(outputText, filename);
};

const name = process.argv[2];
if (!name) {
  console.error('usage: node examples/run.cjs <example>   e.g. node examples/run.cjs basic');
  process.exit(2);
}
const { main } = require(resolve(__dirname, `${name.replace(/\.ts$/, '')}.ts`));
main({ log: (line) => process.stdout.write(line) }).then(
  () => process.stdout.write('\n'),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
