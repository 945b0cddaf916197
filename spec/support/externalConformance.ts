import { isDeepStrictEqual } from 'node:util';
import { createResponseAccumulator, isProviderStreamError, streamChat$, type ChatResponse, type Provider, type ProviderId } from '../../lib';
import { mockBaseURL, seededRandom } from '../../testing';
import { collect } from './collect';
import { externalBody, externalExpected, type ExternalExpected, type ExternalFixture } from './externalFixtures';
import { inProcessReplay } from './inProcessReplay';
import { randomCuts, startReplayServer } from './replayServer';

/** What rxllm made of one body: the answer as `toResponse()` folds it, and the error the stream ended with. */
export type Outcome = { response: ChatResponse; error?: unknown };

/** A body rxllm reads otherwise than the peer: why, and rxllm's own reading, checked instead of the peer's. */
export interface Difference {
  reason: string;
  check(expected: ExternalExpected, outcome: Outcome, body: Buffer): void;
}

/**
 * The peer's reading, field by field, as rxllm's `toResponse()` gives it (the normalizations of
 * external/SOURCES.md are rxllm's own). The fields that differ are gathered and asserted once (a
 * matcher per field and replay was most of a suite's time). Two readings of the same bytes that
 * only look different are the same:
 * - citations are compared where the peer read them (`null`: not compared), once per URL (a citation of
 *   a document the request sent has no URL to compare);
 * - a usage count the peer gives as 0 where rxllm has none: the peers fill a count the API did not
 *   send with 0, rxllm never invents one;
 * - a tool call id that is not in the body, or none (Gemini sends none): each library makes its own; rxllm's
 *   must be there and differ from the others.
 */
export function expectPeerReading(expected: ExternalExpected, { response, error }: Outcome, body: Buffer): void {
  const differences: Array<{ field: string; rxllm: unknown; peer: unknown }> = [];
  const same = (field: string, rxllm: unknown, peer: unknown) => {
    if (!isDeepStrictEqual(rxllm, peer)) differences.push({ field, rxllm, peer });
  };
  same('content', response.content, expected.content + (expected.refusal ?? ''));
  same('reasoning', response.reasoning, expected.reasoning);
  same('toolCalls', response.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments })), expected.toolCalls);
  const ids = response.toolCalls.map((call) => call.id);
  const made = expected.toolCallIds.length > 0 && expected.toolCallIds.every((id) => id === null || !body.includes(JSON.stringify(id)));
  if (made) same('toolCallIds (made by each library)', ids.every((id) => typeof id === 'string' && id !== '') && new Set(ids).size === ids.length, true);
  else same('toolCallIds', ids, expected.toolCallIds);
  // the peers list the URLs cited; a document the request sent has none to compare
  if (expected.citations !== null) same('citations', response.citations.flatMap((citation) => (citation.url === undefined ? [] : [citation.url])), [...new Set(expected.citations)]);
  // a response that fails before its first output has no chunk to carry its id and model
  const delivered = !expected.error || response.id !== undefined;
  if (expected.id !== undefined && delivered) same('id', response.id, expected.id);
  if (expected.model !== undefined && delivered) same('model', response.model, expected.model);
  // an error says exactly what the subscriber had received
  if (error !== undefined) same('error.partial', (error as { partial?: ChatResponse }).partial, response);
  if (expected.error) {
    same('error', isProviderStreamError(error) && (error as Error).message.includes(expected.error.message), true);
    same('finishReason', response.finishReason, undefined);
  } else {
    same('error', error, undefined);
    same('finishReason', response.finishReason, expected.finish);
    same('rawFinishReason', response.metadata.rawFinishReason, expected.rawFinish);
    for (const [name, count] of Object.entries(expected.usage ?? {})) {
      const rxllm = response.usage?.[name as keyof typeof response.usage];
      if (!(count === 0 && rxllm === undefined)) same(`usage.${name}`, rxllm, count);
    }
  }
  expect(differences).toEqual([]);
}

/**
 * One describe block per recorded body of `fixtures`: replayed whole over HTTP, and cut at random
 * byte offsets in process (`seeds` cuttings), each reading checked against the peer's, or against
 * the body's documented `differences`. A difference that names no fixture fails the suite, so the
 * list cannot outlive the body it was written for.
 */
export function describeExternalConformance(
  title: string,
  { fixtures, provider, differences, seeds, options = {} }: { fixtures: ExternalFixture[]; provider: ProviderId | Provider<any>; differences: Record<string, Difference>; seeds: number; options?: object },
): void {
  describe(title, () => {
    const id = typeof provider === 'string' ? provider : provider.id;
    let server: Awaited<ReturnType<typeof startReplayServer>>;
    beforeAll(async () => {
      server = await startReplayServer();
    });
    afterAll(() => server.close());
    // the whole body over HTTP, the random cuts in process
    const inProcess = inProcessReplay();

    const run = async (fixture: ExternalFixture, body: Buffer, cuts: number[], over: 'http' | 'in process' = 'http'): Promise<Outcome> => {
      (over === 'http' ? server : inProcess).respondWith({ body, cuts, contentType: fixture.contentType, status: fixture.status });
      const { chunks, error } = await collect(
        streamChat$(provider, [{ role: 'user', content: 'replay' }], { baseURL: mockBaseURL(server, id), apiKey: 'sk-test-external-replay', ...options }),
      );
      // seq contiguous from 0: one assertion per replay (a matcher per chunk was most of a suite's time)
      expect(chunks.findIndex((c, i) => c.seq !== i)).toBe(-1);
      const accumulator = createResponseAccumulator();
      for (const c of chunks) accumulator.add(c);
      return { response: accumulator.snapshot(), error };
    };

    test('every documented difference names a body of the suite', () => {
      expect(Object.keys(differences).filter((name) => !fixtures.some((f) => f.name === name))).toEqual([]);
    });

    for (const fixture of fixtures) {
      describe(fixture.name, () => {
        const body = externalBody(fixture);
        const expected = externalExpected(fixture);
        const difference = differences[fixture.name];
        const verify = (outcome: Outcome) => (difference ? difference.check(expected, outcome, body) : expectPeerReading(expected, outcome, body));

        test(difference ? `whole body (read otherwise: ${difference.reason})` : `whole body, as ${expected.by ?? 'the peer'} reads it`, async () => {
          verify(await run(fixture, body, []));
        });

        test(`split at random byte offsets, ${seeds} seeds`, async () => {
          for (let seed = 1; seed <= seeds; seed++) {
            const random = seededRandom(seed * 7919 + body.length);
            const cuts = randomCuts(random, body.length, 1 + Math.floor(random() * 12));
            try {
              verify(await run(fixture, body, cuts, 'in process'));
            } catch (error) {
              throw new Error(`${fixture.name}, seed ${seed}, cuts [${cuts.join(', ')}]: ${(error as Error).message}`);
            }
          }
        });
      });
    }
  });
}

/**
 * rxllm's reading of a recording that ends before its finish (a cut recording: no finish reason, no
 * end marker), where the peer completes quietly with no finish reason: a `StreamInterruptedError`
 * whose partial answer is all the text the body holds, as the peer reads it.
 */
export function endsBeforeFinish(expected: ExternalExpected, { response, error }: Outcome): void {
  expect((error as Error | undefined)?.name).toBe('StreamInterruptedError');
  expect({ content: response.content, reasoning: response.reasoning, finishReason: response.finishReason }).toEqual({
    content: expected.content,
    reasoning: expected.reasoning,
    finishReason: undefined,
  });
}
