import fc from 'fast-check';
import type * as t from 'io-ts';
import { compileGuard } from '../../lib/codec/compileGuard';
import { isAnthropicWireEvent } from '../../providers/anthropic/isAnthropicWireEvent';
import { AnthropicWireEvent } from '../../providers/anthropic/wireEvent';
import { isOllamaWireLine } from '../../providers/ollama/isOllamaWireLine';
import { OllamaWireLine } from '../../providers/ollama/wireLine';
import { isOpenAIWireChunk } from '../../providers/openai-compatible/isOpenAIWireChunk';
import { OpenAIWireChunk } from '../../providers/openai-compatible/wireChunk';

/**
 * For each hand-written guard, samples that carry every field its codec describes, at every depth:
 * mutating them at random paths reaches each check of the guard.
 */
const cases: Array<[string, t.Mixed, (u: unknown) => boolean, unknown[]]> = [
  [
    'OpenAIWireChunk',
    OpenAIWireChunk,
    isOpenAIWireChunk,
    [
      {
        id: 'c',
        model: 'm',
        choices: [
          {
            index: 0,
            delta: {
              role: 'assistant',
              content: 'Hi',
              refusal: 'no',
              reasoning_content: 'r',
              reasoning: 'r',
              tool_calls: [
                { index: 0, id: 'x', type: 'function', function: { name: 'f', arguments: '{' } },
                { index: 1, function: { arguments: { a: 1 } } },
                { index: 2, id: 'y', type: 'custom', custom: { name: 'sql', input: 'SELECT' } },
              ],
              annotations: [{ type: 'url_citation' }],
              audio: { id: 'audio_1', data: 'UklG', transcript: 'Hi', expires_at: 1 },
            },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 }, reasoning_tokens: 1 },
        error: { message: 'x' },
        moderation: [1],
        object: 'chat.completion.chunk',
      },
      { choices: [{ delta: { content: [{ type: 'text', text: 'Hi' }] } }], usage: null },
    ],
  ],
  [
    'AnthropicWireEvent',
    AnthropicWireEvent,
    isAnthropicWireEvent,
    [
      {
        type: 'content_block_delta',
        index: 0,
        message: { id: 'm', model: 'claude', usage: { input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens_details: { thinking_tokens: 1 } } },
        content_block: { type: 'tool_use', text: 't', id: 'i', name: 'n', input: {}, thinking: 'th', signature: 's', data: 'd' },
        delta: { type: 'text_delta', text: 'Hi', partial_json: '{', thinking: 'th', signature: 's', citation: {}, stop_reason: 'end_turn', stop_sequence: 'x', stop_details: {} },
        usage: { input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens_details: { thinking_tokens: 1 } },
        error: { type: 'overloaded_error' },
      },
    ],
  ],
  [
    'OllamaWireLine',
    OllamaWireLine,
    isOllamaWireLine,
    [
      {
        model: 'llama',
        message: { role: 'assistant', content: 'Hi', thinking: 'x', tool_calls: [{ id: 'call_1', function: { index: 0, name: 'f', arguments: { a: 1 } } }] },
        done: true,
        done_reason: 'stop',
        total_duration: 1,
        load_duration: 1,
        prompt_eval_duration: 1,
        eval_duration: 1,
        prompt_eval_count: 1,
        eval_count: 3,
        error: 'x',
      },
    ],
  ],
];

/** Replaces (or, with `remove`, deletes) the value at a random path of `value`. */
function mutate(value: unknown, path: number[], replacement: unknown, remove: boolean): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[path[0] % keys.length];
  const copy: any = Array.isArray(value) ? [...value] : { ...value };
  if (remove && path.length === 1 && !Array.isArray(copy)) delete copy[key];
  else copy[key] = mutate(copy[key], path.slice(1), replacement, remove);
  return copy;
}

/** values of every JSON kind, and the ones a guard must tell apart: null, undefined, empty array and object */
const replacement = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, undefined, [], {}, '', 0, true, [{}], { index: 'x' }));

describe.each(cases)('the hand-written guard of %s', (_, codec, guard, samples) => {
  test('is the one compileGuard gives for the codec (so decodeWirePayload uses it)', () => {
    expect(compileGuard(codec)).toBe(guard);
  });

  test('accepts the full samples, as the codec does', () => {
    for (const sample of samples) {
      expect(codec.is(sample)).toBe(true);
      expect(guard(sample)).toBe(true);
    }
  });

  test('agrees with io-ts (codec.is) on 3,000 mutations of the samples at random paths and depths', () => {
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), replacement, fc.boolean(), (sample, path, value, remove) => {
        const mutated = mutate(sample, path, value, remove);
        expect(guard(mutated)).toBe(codec.is(mutated));
      }),
      { numRuns: 3000 },
    );
  });

  test('agrees with io-ts on random JSON and other values', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (value) => {
        expect(guard(value)).toBe(codec.is(value));
      }),
      { numRuns: 1000 },
    );
  });
});
