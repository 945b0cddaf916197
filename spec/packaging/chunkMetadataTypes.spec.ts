import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';

/**
 * Type-checks users' files in one program, their 'rxllm' being the built package's declarations
 * (dist/index.d.mts, as a user's compiler reads them; `npm test` builds first); the error messages of each.
 */
function typeErrors(files: Record<string, string>): Record<string, string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rxllm-metadata-'));
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
      paths: { rxllm: [resolve(__dirname, '../../dist/index.d.mts')] },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program);
    return Object.fromEntries(
      Object.keys(files).map((name, i) => [
        name,
        diagnostics.filter((d) => d.file?.fileName === paths[i]).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
      ]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const merged = `
import type { Chunk, ChunkMetadata } from 'rxllm';
declare module 'rxllm' {
  interface ChunkMetadata {
    sentiment?: 'positive' | 'negative';
  }
}
`;

describe('ChunkMetadata in the built declarations', () => {
  let errors: Record<string, string[]>;
  beforeAll(() => {
    errors = typeErrors({
      good: `${merged}
const chunk: Chunk = { provider: 'openai', seq: 0, bytes: 0, metadata: { sentiment: 'positive', retry: 1, anything: { else: true } } };
const sentiment: 'positive' | 'negative' | undefined = chunk.metadata?.sentiment;
const retry: number | undefined = chunk.metadata?.retry;
const meta: ChunkMetadata = { rawFinishReason: 'end_turn' };
const loose: Record<string, unknown> = meta;
export { sentiment, retry, loose };
`,
      bad: `${merged}
const chunk: Chunk = { provider: 'openai', seq: 0, bytes: 0, metadata: { sentiment: 'neutral' } };
const retry: string | undefined = chunk.metadata?.retry;
export { retry };
`,
    });
  }, 60_000);

  test("users' own keys, declared by declaration merging, are typed on every chunk; the built-in keys are typed; other keys stay allowed", () => {
    expect(errors.good).toEqual([]);
  });

  test('a declared key with a value of the wrong type, and a built-in key misused, do not compile', () => {
    expect(errors.bad).toHaveLength(2);
    expect(errors.bad[0]).toMatch(/'"neutral"' is not assignable/);
    expect(errors.bad[1]).toMatch(/'number \| undefined' is not assignable to type 'string \| undefined'/);
  });
});
