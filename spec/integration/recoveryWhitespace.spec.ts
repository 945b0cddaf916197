import { lastValueFrom } from 'rxjs';
import { streamChat$, toResponse, type ChatMessage } from '../../lib';
import { mockBaseURL, startMockServer, type MockServer } from '../../testing';
import { collect } from '../support/collect';
import { afterWhiteSpace, WHITESPACE_ANSWERS } from '../support/whitespaceAnswers';

const STRATEGIES = ['exact', 'sentence', 'paragraph'] as const;

/** Each provider as a user runs it, and Anthropic also with a prefill on a model that takes one, and on one that refuses it. */
const SETUPS: ReadonlyArray<{ name: string; provider: string; extra: Record<string, unknown> }> = [
  { name: 'openai', provider: 'openai', extra: {} },
  { name: 'anthropic (claude-sonnet-4-6, instruction)', provider: 'anthropic', extra: { model: 'claude-sonnet-4-6' } },
  { name: 'anthropic (claude-sonnet-4-5, prefill)', provider: 'anthropic', extra: { model: 'claude-sonnet-4-5', recovery: { continuation: 'prefill' } } },
  { name: 'anthropic (claude-opus-4-6 refuses the prefill)', provider: 'anthropic', extra: { model: 'claude-opus-4-6', recovery: { continuation: 'prefill' } } },
  { name: 'gemini', provider: 'gemini', extra: {} },
  { name: 'mistral', provider: 'mistral', extra: {} },
  { name: 'perplexity', provider: 'perplexity', extra: {} },
  { name: 'lmstudio', provider: 'lmstudio', extra: {} },
  { name: 'ollama', provider: 'ollama', extra: { model: 'llama3.2' } },
];

/**
 * The acceptance test of a seam that never alters the model's text: answers full of significant
 * white space, broken right after every space, tab and line end — every such position, not a
 * sample — continue byte-identical on every provider and strategy, the server continuing exactly
 * from the partial answer the continuation request carries.
 */
describe('recovery keeps significant white space exactly, at every break after white space', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  describe.each(SETUPS)('$name', ({ provider, extra }) => {
    test.each(STRATEGIES)('%s', async (strategy) => {
      const { recovery, ...rest } = extra as { recovery?: object };
      let checked = 0;
      for (const [kind, answer] of Object.entries(WHITESPACE_ANSWERS)) {
        const messages: ChatMessage[] = [{ role: 'user', content: `Write the ${kind} example.` }];
        const options = {
          baseURL: mockBaseURL(server, provider),
          apiKey: 'k-white-space',
          headers: { 'x-mock-answer': Buffer.from(answer).toString('base64') },
          ...rest,
        };
        // the mock streams the given text whole when nothing breaks it
        expect((await lastValueFrom(streamChat$(provider, messages, options).pipe(toResponse()))).content).toBe(answer);
        for (const at of afterWhiteSpace(answer)) {
          server.queueFaults({ kind: 'cut', afterChars: at }, null);
          const { chunks, error } = await collect(streamChat$(provider, messages, { ...options, recovery: { ...recovery, strategy, delay: 0, maxRetries: 2 } }));
          server.clearFaults();
          const text = chunks.map((c) => c.content ?? '').join('');
          if (error !== undefined || text !== answer) {
            throw new Error(`${kind}, break after ${JSON.stringify(answer.slice(Math.max(0, at - 20), at))} (${at}): ${error ? String(error) : `got ${JSON.stringify(text)}`}`);
          }
          checked++;
        }
      }
      expect(checked).toBe(Object.values(WHITESPACE_ANSWERS).reduce((n, a) => n + afterWhiteSpace(a).length, 0));
    }, 300_000);
  });
});
