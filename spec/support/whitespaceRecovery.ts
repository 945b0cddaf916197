import { lastValueFrom } from 'rxjs';
import { streamChat$, toResponse, type ChatMessage, type ProviderId } from '../../lib';
import { mockBaseURL } from '../../testing';
import { collect } from './collect';
import { inLanes, mockServerLanes } from './lanes';
import { afterWhiteSpace, WHITESPACE_ANSWERS } from './whitespaceAnswers';

/** Each provider as a user runs it, and Anthropic also with a prefill on a model that takes one, and on one that refuses it. */
const SETUPS: ReadonlyArray<{ name: string; provider: ProviderId; extra: Record<string, unknown> }> = [
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

const STRATEGIES = ['exact', 'sentence', 'paragraph'] as const;

/**
 * The breaks a strategy's run takes, of the points after white space in every answer (numbered over
 * all answers in order): with `RXLLM_HEAVY`, every one; in `npm test`, every third, each strategy
 * starting at its own index — so the three strategies together still break every answer after
 * every space, tab and line end on every provider, in a third of the time (each point is some 3 ms
 * of CPU, two HTTP exchanges: 627 points × 9 setups × 3 strategies).
 */
export function whitespaceBreaksOf<T>(strategy: (typeof STRATEGIES)[number], points: readonly T[], heavy = !!process.env.RXLLM_HEAVY): T[] {
  if (heavy) return points.slice();
  const offset = STRATEGIES.indexOf(strategy);
  return points.filter((_, i) => i % STRATEGIES.length === offset);
}

/**
 * The acceptance test of a seam that never alters the model's text: answers full of significant
 * white space, broken right after every space, tab and line end — every such position, not a
 * sample — continue byte-identical on every provider and strategy, the server continuing exactly
 * from the partial answer the continuation request carries. `npm test` takes every third position
 * per strategy (all of them over the three, see `whitespaceBreaksOf`); the heavy run, every position
 * in every strategy.
 *
 * One strategy per spec file (recoveryWhitespace*.spec.ts), so that jest runs the three on
 * separate workers.
 */
export function describeWhitespaceRecovery(strategy: (typeof STRATEGIES)[number]) {
  describe('recovery keeps significant white space exactly, at every break after white space', () => {
    // the breaks run side by side, each lane on its own server (its own fault queue)
    const lanes = mockServerLanes();

    describe.each(SETUPS)('$name', ({ provider, extra }) => {
      test(strategy, async () => {
        const { recovery, ...rest } = extra as { recovery?: object };
        const messages = (kind: string): ChatMessage[] => [{ role: 'user', content: `Write the ${kind} example.` }];
        const options = (server: (typeof lanes.servers)[number], answer: string) => ({
          baseURL: mockBaseURL(server, provider),
          apiKey: 'k-white-space',
          headers: { 'x-mock-answer': Buffer.from(answer).toString('base64') },
          ...rest,
        });
        const points: Array<{ kind: string; answer: string; at: number }> = [];
        for (const [kind, answer] of Object.entries(WHITESPACE_ANSWERS)) {
          // the mock streams the given text whole when nothing breaks it
          expect((await lastValueFrom(streamChat$(provider, messages(kind), options(lanes.servers[0], answer)).pipe(toResponse()))).content).toBe(answer);
          for (const at of afterWhiteSpace(answer)) points.push({ kind, answer, at });
        }
        const breaks = whitespaceBreaksOf(strategy, points);
        let checked = 0;
        await inLanes(breaks, lanes.servers, async ({ kind, answer, at }, server) => {
          server.queueFaults({ kind: 'cut', afterChars: at }, null);
          const { chunks, error } = await collect(streamChat$(provider, messages(kind), { ...options(server, answer), recovery: { ...recovery, strategy, delay: 0, maxRetries: 2 } }));
          server.clearFaults();
          const text = chunks.map((c) => c.content ?? '').join('');
          if (error !== undefined || text !== answer) {
            throw new Error(`${kind}, break after ${JSON.stringify(answer.slice(Math.max(0, at - 20), at))} (${at}): ${error ? String(error) : `got ${JSON.stringify(text)}`}`);
          }
          checked++;
        });
        expect(checked).toBe(breaks.length);
        expect(breaks.length).toBeGreaterThanOrEqual(Math.floor(points.length / 3));
      }, 300_000);
    });
  });
}
