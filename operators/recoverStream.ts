import {
  asyncScheduler,
  catchError,
  concat,
  defer,
  EMPTY,
  filter,
  map,
  of,
  switchMap,
  throwError,
  timer,
  type MonoTypeOperatorFunction,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import { isParseError } from '../lib/errors/parseError';
import { isRxllmError } from '../lib/errors/rxllmError';
import { StreamInterruptedError } from '../lib/errors/streamInterruptedError';
import { createResponseAccumulator } from '../lib/responseAccumulator';
import type { ChatResponse } from '../lib/types/chatResponse';
import type { Chunk } from '../lib/types/chunk';
import type { ToolCallDelta } from '../lib/types/toolCallDelta';
import type { Usage } from '../lib/types/usage';
import { commitBoundary, type RecoveryStrategy } from './commitBoundary';
import { trimSeam } from './trimSeam';

export type { RecoveryStrategy };

/** What `resume` is told when a stream broke and is to be continued. */
export interface ResumeRequest {
  /** what the subscriber has received: the answer to continue (empty before any content) */
  partial: ChatResponse;
  /** 1 for the first retry, 2 for the second, … */
  attempt: number;
  /** the failure that ended the previous attempt */
  error: unknown;
}

export interface RecoverStreamConfig {
  /** the commit unit: `exact` (default) passes text at once, `sentence`/`paragraph` hold the unfinished one back */
  strategy?: RecoveryStrategy;
  /** retries over the whole stream (default 3) */
  maxRetries?: number;
  /** ms before a retry, or `(error, retryCount) => ms`; default exponential 0.5 s · 2^(n-1), capped at 8 s, ±25 % jitter. A server's `retry-after` wins. */
  delay?: number | ((error: unknown, retryCount: number) => number);
  /** which failures are worth a retry (default: rxllm errors marked `retryable`, and a JSON line that did not parse) */
  retryable?: (error: unknown) => boolean;
  /** the timer (default `asyncScheduler`; a `TestScheduler` in marble tests) */
  scheduler?: SchedulerLike;
}

/** Per attempt, on the chunk that carries the answer's final usage when a recovery happened. */
export interface AttemptRecord {
  usage?: Usage;
  /** the message of the failure that ended the attempt */
  error?: string;
}

const MAX_RETRY_AFTER_MS = 60_000;
const SEAM_WINDOW = 32;

/**
 * Continues a stream that broke. On a retryable failure (a reset connection, an idle timeout, a
 * 429/5xx/529, an overload event) it calls `resume` for the next attempt: before any content the
 * same request again, after content a continuation of what the subscriber already has. Nothing
 * delivered is taken back or repeated: the `strategy` is the commit unit (`sentence` and
 * `paragraph` hold the unfinished one back, so a continuation joins at a clean boundary), tool-call
 * fragments are held until the answer's finish so a call is never continued mid-JSON, and the seam
 * is cleaned where the model repeats the tail of what was delivered. `seq` stays contiguous; the
 * first chunk of a retry carries `metadata.retry`, of a continuation `metadata.recovery` (counted by
 * `trackMetrics`); the final usage is the sum of all attempts, with each in `metadata.attempts`.
 * When `maxRetries` are spent: `StreamInterruptedError` with `partial` and every cause in order.
 *
 * ```
 * attempt 1:  --a--b--X                 (X: connection reset)
 * attempt 2:            (wait)--c--d--|  (continuation of a+b)
 * recoverStream(resume)
 * chunks:     --a--b-----------c--d--|
 * ```
 *
 * @example
 * streamChat$('openai', messages, { streamRecovery: true, recovery: { strategy: 'sentence', maxRetries: 5 } });
 * // by hand: resume builds the next request from what was received
 * source$.pipe(recoverStream(({ partial }) => continueFrom(partial), { strategy: 'sentence' }));
 *
 * @param resume builds the stream of the next attempt
 * @param config strategy, retries, delay and which failures to retry
 */
export function recoverStream(resume: (request: ResumeRequest) => Observable<Chunk>, config: RecoverStreamConfig = {}): MonoTypeOperatorFunction<Chunk> {
  const { strategy = 'exact', maxRetries = 3, delay, retryable = isRecoverable, scheduler = asyncScheduler } = config;
  if (typeof resume !== 'function') throw new TypeError('recoverStream: pass resume, a function ({ partial, attempt, error }) => Observable<Chunk>');
  if (strategy !== 'exact' && strategy !== 'sentence' && strategy !== 'paragraph') {
    throw new TypeError(`recoverStream: strategy must be 'exact', 'sentence' or 'paragraph', got ${JSON.stringify(strategy)}`);
  }
  if (!(Number.isInteger(maxRetries) && maxRetries >= 0)) throw new TypeError(`recoverStream: maxRetries must be a whole number ≥ 0, got ${String(maxRetries)}`);
  if (delay !== undefined && typeof delay !== 'function' && !(typeof delay === 'number' && delay >= 0 && Number.isFinite(delay))) {
    throw new TypeError(`recoverStream: delay must be a number of ms ≥ 0 or a function (error, retryCount) => ms, got ${String(delay)}`);
  }
  if (typeof retryable !== 'function') throw new TypeError('recoverStream: retryable must be a function (error) => boolean');

  return (source) =>
    defer(() => {
      const delivered = createResponseAccumulator();
      let deliveredText = '';
      let sawReasoning = false;
      let seq = 0;
      let retries = 0;
      const causes: unknown[] = [];
      const attempts: AttemptRecord[] = [];
      let usageBefore: Usage | undefined;

      const deliver = (chunk: Chunk): Chunk => {
        chunk.seq = seq++;
        delivered.add(chunk);
        if (chunk.content) {
          // only the tail matters (for the seam); trim it now and then, not on every chunk
          deliveredText += chunk.content;
          if (deliveredText.length > 4096) deliveredText = deliveredText.slice(-512);
        }
        if (chunk.reasoning) sawReasoning = true;
        return chunk;
      };

      const run = (stream$: Observable<Chunk>, attempt: number, kind: 'first' | 'retry' | 'recovery'): Observable<Chunk> =>
        defer(() => {
          const reasoningWasShown = sawReasoning;
          let held = '';
          let heldCalls: ToolCallDelta[] = [];
          let heldBytes = 0;
          let seam = kind === 'recovery' ? '' : undefined;
          let marked = attempt === 0;
          let attemptUsage: Usage | undefined;
          let template: Chunk | undefined;

          /** text that may go out now, after the seam is settled and up to the strategy's boundary */
          const admit = (text: string, final: boolean): string => {
            if (seam !== undefined) {
              seam += text;
              if (seam.length < SEAM_WINDOW && !final) return '';
              text = seam.slice(trimSeam(deliveredText, seam));
              seam = undefined;
            }
            held += text;
            const cut = final ? held.length : commitBoundary(held, strategy);
            const out = held.slice(0, cut);
            held = held.slice(cut);
            return out;
          };

          const build = (from: Chunk, content: string, final: boolean): Chunk | null => {
            const out: Chunk = { provider: from.provider, seq: 0, bytes: heldBytes + from.bytes };
            if (from.id) out.id = from.id;
            if (from.model) out.model = from.model;
            let meaningful = false;
            if (content) ((out.content = content), (meaningful = true));
            if (from.reasoning && !reasoningWasShown) ((out.reasoning = from.reasoning), (meaningful = true));
            if (final && heldCalls.length > 0) {
              out.toolCalls = heldCalls;
              heldCalls = [];
              meaningful = true;
            }
            if (from.citations) ((out.citations = from.citations), (meaningful = true));
            if (from.finishReason) ((out.finishReason = from.finishReason), (meaningful = true));
            if (from.metadata) ((out.metadata = { ...from.metadata }), (meaningful = true));
            if (from.usage) {
              out.usage = add(usageBefore, attemptUsage);
              if (attempt > 0) (out.metadata ??= {}).attempts = [...attempts, { usage: attemptUsage }];
              meaningful = true;
            }
            if (!meaningful) {
              heldBytes = out.bytes;
              return null;
            }
            heldBytes = 0;
            if (!marked) {
              (out.metadata ??= {})[kind === 'retry' ? 'retry' : 'recovery'] = attempt;
              marked = true;
            }
            return deliver(out);
          };

          const accept = (chunk: Chunk): Chunk | null => {
            template ??= chunk;
            // the common case under 'exact': nothing held or to mark, nothing to strip or sum — the
            // chunk itself goes on (it is this attempt's own, made by the provider stream for us)
            if (
              strategy === 'exact' &&
              marked &&
              seam === undefined &&
              held === '' &&
              heldBytes === 0 &&
              heldCalls.length === 0 &&
              chunk.toolCalls === undefined &&
              chunk.usage === undefined &&
              (chunk.reasoning === undefined || !reasoningWasShown)
            ) {
              return deliver(chunk);
            }
            if (chunk.usage) attemptUsage = attemptUsage ? { ...attemptUsage, ...chunk.usage } : chunk.usage;
            if (chunk.toolCalls) {
              // held until the answer's finish: a call broken mid-JSON is asked for again whole, never continued
              for (const call of chunk.toolCalls) heldCalls.push(call);
            }
            const final = chunk.finishReason !== undefined;
            const content = chunk.content || final ? admit(chunk.content ?? '', final) : '';
            return build(chunk, content, final);
          };

          /** at the normal end: what is still held goes out */
          const release = (): Observable<Chunk> =>
            defer(() => {
              const content = admit('', true);
              if (!content && heldCalls.length === 0 && heldBytes === 0) return EMPTY;
              const base: Chunk = { provider: template?.provider ?? 'unknown', seq: 0, bytes: 0 };
              const out = build(base, content, true);
              return out ? of(out) : EMPTY;
            });

          return concat(
            stream$.pipe(
              map(accept),
              filter((chunk): chunk is Chunk => chunk !== null),
            ),
            release(),
          ).pipe(
            catchError((error: unknown) => {
              attempts.push({ usage: attemptUsage, error: messageOf(error) });
              if (attemptUsage) usageBefore = add(usageBefore, attemptUsage);
              const snapshot = delivered.snapshot();
              const finished = snapshot.finishReason !== undefined;
              if (finished || !retryable(error)) {
                // not retried: what was held goes out first, so nothing is lost
                return concat(release(), throwError(() => error));
              }
              causes.push(error);
              if (retries >= maxRetries) {
                return concat(
                  release(),
                  defer(() => {
                    const exhausted = new StreamInterruptedError(
                      `${snapshot.provider || 'stream'}: gave up after ${retries} ${retries === 1 ? 'retry' : 'retries'}: ${messageOf(error)}`,
                      { provider: snapshot.provider || undefined, retryable: false, causes: causes.slice(), cause: error },
                    );
                    exhausted.partial = delivered.snapshot();
                    return throwError(() => exhausted);
                  }),
                );
              }
              retries++;
              const attemptNo = retries;
              const hasContent = snapshot.content.length > 0 || snapshot.toolCalls.length > 0;
              return timer(waitFor(error, attemptNo), scheduler).pipe(
                switchMap(() => run(resume({ partial: snapshot, attempt: attemptNo, error }), attemptNo, hasContent ? 'recovery' : 'retry')),
              );
            }),
          );
        });

      const waitFor = (error: unknown, retryCount: number): number => {
        const asked = (error as { retryAfterMs?: unknown })?.retryAfterMs;
        if (typeof asked === 'number' && asked >= 0) return Math.min(asked, MAX_RETRY_AFTER_MS);
        if (typeof delay === 'number') return delay;
        if (typeof delay === 'function') return Math.max(0, Number(delay(error, retryCount)) || 0);
        const base = Math.min(8000, 500 * 2 ** (retryCount - 1));
        return Math.round(base * (0.75 + Math.random() * 0.5));
      };

      return run(source, 0, 'first');
    });
}

/** The default test: rxllm errors marked retryable, and a JSON line that did not parse (a corrupted read). */
function isRecoverable(error: unknown): boolean {
  if (isParseError(error)) return error.kind === 'json';
  return isRxllmError(error) && error.retryable;
}

function add(a: Usage | undefined, b: Usage | undefined): Usage | undefined {
  if (!a) return b;
  if (!b) return a;
  const sum: Usage = { ...a };
  for (const key of Object.keys(b) as Array<keyof Usage>) sum[key] = (a[key] ?? 0) + (b[key] ?? 0);
  return sum;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
