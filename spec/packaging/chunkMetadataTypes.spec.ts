import { typeErrors } from '../support/typeErrors';

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
