import fc from 'fast-check';
import * as t from 'io-ts';
import { compileGuard } from '../../lib/codec/compileGuard';
import { PositiveNumber, nullable } from '../../lib/codec/readable';
import { AnthropicWireEvent } from '../../providers/anthropic/wireEvent';
import { GeminiWireResponse } from '../../providers/gemini/wireResponse';
import { OllamaWireLine } from '../../providers/ollama/wireLine';
import { OpenAIWireChunk } from '../../providers/openai-compatible/wireChunk';
import { StreamChatOptions } from '../../lib/assembly/streamChatOptions';

/** Samples in each codec's shape, to mutate: random JSON alone rarely gets past the first level. */
const samples: Array<[string, t.Mixed, unknown]> = [
  ['OpenAIWireChunk', OpenAIWireChunk, { id: 'c', model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi', tool_calls: [{ index: 0, id: 'x', function: { name: 'f', arguments: '{' } }] }, finish_reason: null }], usage: { prompt_tokens: 1, completion_tokens_details: { reasoning_tokens: 0 } } }],
  ['AnthropicWireEvent', AnthropicWireEvent, { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' }, message: { id: 'm', usage: { input_tokens: 3 } } }],
  ['GeminiWireResponse', GeminiWireResponse, { candidates: [{ content: { parts: [{ text: 'Hi', thought: true }, { functionCall: { name: 'f', args: { a: 1 } } }] }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 2 } }],
  ['OllamaWireLine', OllamaWireLine, { model: 'llama', message: { role: 'assistant', content: 'Hi', thinking: 'x', tool_calls: [{ function: { name: 'f', arguments: { a: 1 } } }] }, done: true, eval_count: 3 }],
  ['a codec with refinements, keyof, records and intersections', t.intersection([t.type({ n: PositiveNumber, k: t.keyof({ a: null, b: null }) }), t.partial({ r: t.record(t.string, t.number), l: t.literal('x'), o: nullable(t.boolean) })]), { n: 1, k: 'a', r: { x: 1 }, l: 'x', o: null }],
];

/** Replaces the value at a random path of `value` with `replacement`. */
function mutate(value: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[path[0] % keys.length];
  const copy: any = Array.isArray(value) ? [...value] : { ...value };
  copy[key] = mutate(copy[key], path.slice(1), replacement);
  return copy;
}

describe('compileGuard', () => {
  test.each(samples)('%s: the compiled guard agrees with io-ts on the sample and on mutations of it', (_, codec, sample) => {
    const guard = compileGuard(codec);
    expect(guard(sample)).toBe(true);
    expect(codec.is(sample)).toBe(true);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), (path, replacement) => {
        const mutated = mutate(sample, path, replacement);
        expect(guard(mutated)).toBe(codec.is(mutated));
      }),
      { numRuns: 500 },
    );
  });

  test('agrees on random JSON values and on non-JSON ones', () => {
    const guards = samples.map(([, codec]) => [codec, compileGuard(codec)] as const);
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (value) => {
        for (const [codec, guard] of guards) expect(guard(value)).toBe(codec.is(value));
      }),
      { numRuns: 500 },
    );
  });

  test('codecs it does not know keep their own guard (the options codec, with functions and signals)', () => {
    const guard = compileGuard(StreamChatOptions);
    expect(guard({ model: 'x', onError: () => undefined, signal: new AbortController().signal })).toBe(true);
    expect(guard({ onError: 5 })).toBe(false);
  });
});
