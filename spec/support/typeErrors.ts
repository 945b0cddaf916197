import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';

const DIST = resolve(__dirname, '../../dist');

/**
 * Type-checks users' files in one program, their 'rxllm' (and `rxllm/providers/*`) being the built
 * package's declarations (dist/*.d.mts, as a user's compiler reads them; `npm test` builds first):
 * the error messages of each file, in order.
 *
 * @example
 * typeErrors({ bad: `import { streamChat$ } from 'rxllm'; streamChat$('opneai', []);` }).bad; // ["Argument of type '\"opneai\"' …"]
 */
export function typeErrors(files: Record<string, string>): Record<string, string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rxllm-types-'));
  try {
    const paths = Object.keys(files).map((name) => join(dir, `${name}.ts`));
    Object.values(files).forEach((code, i) => writeFileSync(paths[i], code));
    const program = ts.createProgram(paths, {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
      paths: { rxllm: [join(DIST, 'index.d.mts')], 'rxllm/providers/*': [join(DIST, 'providers/*.d.mts')] },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program);
    return Object.fromEntries(
      Object.keys(files).map((name, i) => [
        name,
        diagnostics
          .filter((d) => d.file?.fileName === paths[i])
          .sort((a, b) => (a.start ?? 0) - (b.start ?? 0))
          .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
      ]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
