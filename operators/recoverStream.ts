import {
  asyncScheduler,
  catchError,
  concat,
  defer,
  EMPTY,
  filter,
  isObservable,
  map,
  of,
  switchMap,
  tap,
  throwError,
  timer,
  type MonoTypeOperatorFunction,
  type Observable,
} from 'rxjs';
import * as t from 'io-ts';
import { checkConfig } from '../lib/codec/checkConfig';
import { fn as functionOf, NonNegativeInteger, NonNegativeNumber, Scheduler } from '../lib/codec/readable';
import { isAbortError } from '../lib/errors/abortError';
import { isParseError } from '../lib/errors/parseError';
import { isRxllmError } from '../lib/errors/rxllmError';
import { StreamInterruptedError } from '../lib/errors/streamInterruptedError';
import { addUsage } from '../lib/addUsage';
import { createAnswerFold, type SharedAnswer } from '../lib/answerFold';
import type { ChatResponse } from '../lib/types/chatResponse';
import type { Chunk } from '../lib/types/chunk';
import type { Citation } from '../lib/types/citation';
import type { RetryEvent } from '../lib/types/telemetry';
import type { ToolCallDelta } from '../lib/types/toolCallDelta';
import type { Usage } from '../lib/types/usage';
import { commitBoundary, type RecoveryStrategy } from './commitBoundary';
import { trimSeam } from './trimSeam';
import { messageOf } from '../lib/messageOf';

export type { RecoveryStrategy };

/** What `resume` is told when a stream broke and is to be continued. */
export interface ResumeRequest {
  /** what the subscriber has received: the answer to continue (empty before any content) */
  partial: ChatResponse;
  /** 1 for the first retry, 2 for the second, … */
  attempt: number;
  /** the failure that ended the previous attempt */
  error: unknown;
  /**
   * A point the provider can resume from exactly (a chunk's `metadata.continuationToken`, e.g.
   * Gemini's checkpoints), at or before the end of what the subscriber has: `token`, and which
   * attempt's request it belongs to (0 for the first). Resuming from it replays what followed it;
   * `recoverStream` drops exactly that replay. Absent when there is none.
   */
  checkpoint?: { token: string; attempt: number };
}

/**
 * What `resume` may return instead of a bare Observable, to say how the attempt continues the
 * answer — which decides how the seam is joined:
 * - `instruction` (what a bare Observable after content means): the partial answer as an assistant
 *   turn and a request to go on; the seam drops only a restart of the unfinished line or sentence;
 * - `prefill`: the partial answer as the final assistant turn, `trimmed` being the white space the
 *   request removed from its end; the seam drops that white space where the model writes it again;
 * - `checkpoint`: resumed from `ResumeRequest.checkpoint`; the stream replays the answer from there,
 *   and exactly the replayed text is dropped (a replay that differs fails the attempt, and the next
 *   one is told no checkpoint).
 */
export interface ResumeAttempt {
  chunks$: Observable<Chunk>;
  form: 'instruction' | 'prefill' | 'checkpoint';
  /** `prefill`: the white space trimmed from the end of the partial answer */
  trimmed?: string;
  /**
   * The attempt to make instead when this one is refused before its first chunk (e.g. a model that
   * does not accept a prefill answers 400): return it, or `undefined` to let the error stand. The
   * switch is immediate and is not counted as a retry.
   */
  fallback?: (error: unknown) => ResumeAttempt | undefined;
}

/** `(error, retryCount) => ms`: the wait before a retry. */
export type RetryDelay = (error: unknown, retryCount: number) => number;

/** The configuration of `recoverStream` (also the `recovery` option of `streamChat$`, with `continuation`). */
export const RecoverStreamConfig = t.partial(
  {
    /** the commit unit: `exact` (default) passes text at once, `sentence`/`paragraph` hold the unfinished one back */
    strategy: t.keyof({ exact: null, sentence: null, paragraph: null }, "'exact', 'sentence' or 'paragraph'"),
    /** retries over the whole stream (default 3) */
    maxRetries: NonNegativeInteger,
    /** ms before a retry, or `(error, retryCount) => ms`; default exponential 0.5 s · 2^(n-1), capped at 8 s, ±25 % jitter. A server's `retry-after` wins. */
    delay: t.union([NonNegativeNumber, functionOf<RetryDelay>('a function (error, retryCount) => ms')]),
    /** which failures are worth a retry (default: rxllm errors marked `retryable`, and a JSON line that did not parse); an abort never is */
    retryable: functionOf<(error: unknown) => boolean>('a function (error) => boolean'),
    /** the timer (default `asyncScheduler`; a `TestScheduler` in marble tests) */
    scheduler: Scheduler,
    /**
     * told of each new attempt when it is decided, before the wait: `{ kind: 'retry' }` before any
     * content, `'recovery'` for a continuation, with the attempt number, the failure and the delay
     */
    onRetry: functionOf<(event: RetryEvent) => void>('a function ({ kind, attempt, error, delayMs }) => void'),
  },
  '{ strategy?, maxRetries?, delay?, retryable?, scheduler?, onRetry? }',
);
export type RecoverStreamConfig = t.TypeOf<typeof RecoverStreamConfig>;

/** Builds the next attempt: its chunks, or a `ResumeAttempt` that says how it continues. */
export type Resume = (request: ResumeRequest) => Observable<Chunk> | ResumeAttempt;

const RecoverStreamArguments = t.type({ resume: functionOf<Resume>('a function ({ partial, attempt, error }) => Observable<Chunk>') });

/** Per attempt, on the chunk that carries the answer's final usage when a recovery happened. */
export interface AttemptRecord {
  usage?: Usage;
  /** the message of the failure that ended the attempt */
  error?: string;
}

const MAX_RETRY_AFTER_MS = 60_000;
/** How much of the delivered text is kept for the seam and for checkpoint replays. */
const TAIL_KEEP = 4096;

/** A point the provider can resume from exactly, at `at` characters of the answer. */
interface Checkpoint {
  token: string;
  attempt: number;
  at: number;
}

/** How an attempt joins the answer. */
type Join =
  | { kind: 'first' | 'retry' }
  | { kind: 'continuation'; trimmed: string }
  | { kind: 'checkpoint'; replay: string; at: number };

/**
 * Continues a stream that broke. On a retryable failure (a reset connection, an idle timeout, a
 * 429/5xx/529, an overload event) it calls `resume` for the next attempt: before any content the
 * same request again, after content a continuation of what the subscriber already has (or an exact
 * resume from a provider checkpoint, see `ResumeRequest.checkpoint`). Nothing delivered is taken
 * back or repeated, and nothing the model said is altered: the `strategy` is the commit unit
 * (`sentence` and `paragraph` hold the unfinished one back, so a continuation joins at a clean
 * boundary), tool-call fragments are held until the answer's finish so a call is never continued
 * mid-JSON, and the seam drops only what is provably a repeat (see `trimSeam`). `seq` stays
 * contiguous; the first chunk of a retry carries `metadata.retry`, of a continuation
 * `metadata.recovery` — each the count of such requests so far (what `trackMetrics` reports); the
 * final usage is the sum of all attempts, with each in `metadata.attempts`. An abort is never
 * retried. When `maxRetries` are spent: `StreamInterruptedError` with `partial` and every cause in order.
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
 * // told of each new attempt before its wait
 * source$.pipe(recoverStream(resume, { onRetry: ({ kind, attempt, delayMs }) => console.warn(`${kind} #${attempt} in ${delayMs} ms`) }));
 *
 * @param resume builds the next attempt: its chunks, or a `ResumeAttempt` that says how it continues
 * @param config strategy, retries, delay and which failures to retry
 * @throws ConfigError when `resume` is not a function or `config` not a configuration (`Invalid recoverStream config: maxRetries: expected a whole number ≥ 0, got -1`)
 */
export function recoverStream(
  resume: Resume,
  config: RecoverStreamConfig = {},
): MonoTypeOperatorFunction<Chunk> {
  return recoverStreamSharing(resume, config, undefined);
}

/**
 * `recoverStream` inside `streamChat$`, where the answer is folded once: what this stage delivers
 * is folded into `answer` (made for each subscription by `answer()`), which the stages below read.
 * Checks its arguments as `recoverStream` does.
 */
export function recoverStreamSharing(
  resume: Resume,
  config: RecoverStreamConfig,
  answer: (() => SharedAnswer) | undefined,
): MonoTypeOperatorFunction<Chunk> {
  checkConfig(RecoverStreamArguments, { resume }, 'recoverStream arguments');
  const { strategy = 'exact', maxRetries = 3, delay, retryable = isRecoverable, scheduler = asyncScheduler, onRetry } = checkConfig(RecoverStreamConfig, config, 'recoverStream config');

  return (source) =>
    defer(() => {
      // the answer delivered: each chunk folded as it goes out, read by the stages below too
      const delivered = answer?.().fold ?? createAnswerFold();
      /** the end of the delivered text: all of it while `tailIsWhole` */
      let tail = '';
      let tailIsWhole = true;
      /** characters of text delivered */
      let deliveredLength = 0;
      let sawReasoning = false;
      let seq = 0;
      /** failures answered by a new attempt (what `maxRetries` limits) */
      let retries = 0;
      /** requests sent again before any content, and continuations after it */
      let restarts = 0;
      let continuations = 0;
      let checkpoints: Checkpoint[] = [];
      const causes: unknown[] = [];
      const attempts: AttemptRecord[] = [];
      let usageBefore: Usage | undefined;

      const deliver = (chunk: Chunk): Chunk => {
        if (chunk.seq !== seq) chunk.seq = seq;
        seq++;
        delivered.add(chunk);
        const text = chunk.content;
        if (text) {
          deliveredLength += text.length;
          // only the tail matters (for the seam and replays); trim it now and then, not on every chunk
          tail += text;
          if (tail.length > 2 * TAIL_KEEP) {
            tail = tail.slice(-TAIL_KEEP);
            tailIsWhole = false;
          }
        }
        if (chunk.reasoning) sawReasoning = true;
        return chunk;
      };

      const run = (stream$: Observable<Chunk>, attempt: number, join: Join): Observable<Chunk> =>
        defer(() => {
          const reasoningWasShown = sawReasoning;
          let held = '';
          let heldCalls: ToolCallDelta[] = [];
          let heldBytes = 0;
          /** the continuation's first text, while the seam is not settled */
          let seam = join.kind === 'continuation' ? '' : undefined;
          /** the replayed text still to come (a checkpoint resume) */
          let replay = join.kind === 'checkpoint' ? join.replay : '';
          /** the answer position at the end of this attempt's admitted text */
          let at = join.kind === 'checkpoint' ? join.at : deliveredLength;
          /** where this attempt's text begins in the answer, and what turns its citation spans (offsets into its own text) into the answer's */
          const origin = join.kind === 'first' || join.kind === 'retry' ? 0 : at;
          let spanShift = origin;
          let marked = join.kind === 'first';
          let attemptUsage: Usage | undefined;
          let template: Chunk | undefined;

          /** text that may go out now: after the seam or replay is settled, up to the strategy's boundary */
          const admit = (text: string, final: boolean): string => {
            if (replay !== '') {
              const n = Math.min(replay.length, text.length);
              if (text.slice(0, n) !== replay.slice(0, n) || (final && text.length < replay.length)) throw new ReplayMismatchError();
              replay = replay.slice(n);
              at += n;
              text = text.slice(n);
            }
            if (seam !== undefined) {
              seam += text;
              const context = { delivered: tail, whole: tailIsWhole, trimmed: join.kind === 'continuation' ? join.trimmed : '' };
              const skip = trimSeam(context, seam, final);
              if (skip === undefined) return '';
              text = seam.slice(skip);
              seam = undefined;
              spanShift = origin - skip;
            }
            at += text.length;
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
            if (from.citations) ((out.citations = spanShift === 0 ? from.citations : shiftSpans(from.citations, spanShift, origin)), (meaningful = true));
            if (from.finishReason) ((out.finishReason = from.finishReason), (meaningful = true));
            if (from.metadata) ((out.metadata = { ...from.metadata }), (meaningful = true));
            if (from.usage) {
              out.usage = addUsage(usageBefore, attemptUsage);
              if (attempt > 0) (out.metadata ??= {}).attempts = [...attempts, { usage: attemptUsage }];
              meaningful = true;
            }
            if (!meaningful) {
              heldBytes = out.bytes;
              return null;
            }
            heldBytes = 0;
            if (!marked) {
              const meta = (out.metadata ??= {});
              if (join.kind === 'retry') meta.retry = restarts;
              else meta.recovery = continuations;
              marked = true;
            }
            return deliver(out);
          };

          const accept = (chunk: Chunk): Chunk | null => {
            template ??= chunk;
            const token = chunk.metadata?.continuationToken;
            // the common case under 'exact': nothing held or to mark, nothing to strip or sum — the
            // chunk itself goes on (it is this attempt's own, made by the provider stream for us)
            if (
              strategy === 'exact' &&
              marked &&
              seam === undefined &&
              replay === '' &&
              held === '' &&
              heldBytes === 0 &&
              heldCalls.length === 0 &&
              token === undefined &&
              chunk.toolCalls === undefined &&
              (chunk.citations === undefined || spanShift === 0) &&
              chunk.usage === undefined &&
              (chunk.reasoning === undefined || !reasoningWasShown)
            ) {
              if (chunk.content) at += chunk.content.length;
              return deliver(chunk);
            }
            if (chunk.usage) attemptUsage = attemptUsage ? { ...attemptUsage, ...chunk.usage } : chunk.usage;
            if (chunk.toolCalls) {
              // held until the answer's finish: a call broken mid-JSON is asked for again whole, never continued
              for (const call of chunk.toolCalls) heldCalls.push(call);
            }
            const final = chunk.finishReason !== undefined;
            const content = chunk.content || final ? admit(chunk.content ?? '', final) : '';
            // a point to resume from exactly — unless the text before it is not all settled, or a
            // tool call is held (a replay from there would not bring it again)
            if (typeof token === 'string' && seam === undefined && replay === '' && heldCalls.length === 0) {
              checkpoints.push({ token, attempt, at });
              if (checkpoints.length > 8) checkpoints.shift();
            }
            return build(chunk, content, final);
          };

          /** at the normal end: what is still held goes out */
          const release = (): Observable<Chunk> =>
            defer(() => {
              const content = admit('', true);
              if (!content && heldCalls.length === 0 && heldBytes === 0) return EMPTY;
              // a chunk of its own, with the stream's real provider, id and model
              const base: Chunk = { provider: template?.provider ?? 'unknown', seq: 0, bytes: 0 };
              if (template?.id !== undefined) base.id = template.id;
              if (template?.model !== undefined) base.model = template.model;
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
              if (attemptUsage) usageBefore = addUsage(usageBefore, attemptUsage);
              if (error instanceof ReplayMismatchError) checkpoints = [];
              const snapshot = delivered.snapshot();
              const finished = snapshot.finishReason !== undefined;
              if (finished || isAbortError(error) || !retryable(error)) {
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
              const checkpoint = hasContent ? usableCheckpoint() : undefined;
              const delayMs = waitFor(error, attemptNo);
              onRetry?.({ kind: hasContent ? 'recovery' : 'retry', attempt: attemptNo, error, delayMs });
              return timer(delayMs, scheduler).pipe(
                switchMap(() => {
                  const request: ResumeRequest = { partial: snapshot, attempt: attemptNo, error };
                  if (checkpoint) request.checkpoint = { token: checkpoint.token, attempt: checkpoint.attempt };
                  const next = resume(request);
                  if (!hasContent) {
                    restarts++;
                    return run(isObservable(next) ? next : next.chunks$, attemptNo, { kind: 'retry' });
                  }
                  continuations++;
                  return runResumed(next, attemptNo, checkpoint);
                }),
              );
            }),
          );
        });

      /** A continuation attempt, and the one to make instead when it is refused before its first chunk. */
      const runResumed = (next: Observable<Chunk> | ResumeAttempt, attemptNo: number, checkpoint: Checkpoint | undefined): Observable<Chunk> => {
        if (isObservable(next)) return run(next, attemptNo, { kind: 'continuation', trimmed: '' });
        let join: Join;
        if (next.form === 'checkpoint') {
          if (!checkpoint) throw new TypeError('recoverStream: resume returned a checkpoint attempt, but the request offered no checkpoint');
          join = { kind: 'checkpoint', at: checkpoint.at, replay: tail.slice(tail.length - (deliveredLength - checkpoint.at)) };
        } else {
          join = { kind: 'continuation', trimmed: next.form === 'prefill' ? (next.trimmed ?? '') : '' };
        }
        const { fallback } = next;
        if (!fallback) return run(next.chunks$, attemptNo, join);
        let started = false;
        const attempt$ = next.chunks$.pipe(tap(() => (started = true)));
        return run(attempt$, attemptNo, join).pipe(
          catchError((error: unknown) => {
            const instead = started ? undefined : fallback(error);
            return instead ? runResumed(instead, attemptNo, checkpoint) : throwError(() => error);
          }),
        );
      };

      /** The latest checkpoint at or before the end of the delivered text, whose replay is still known. */
      const usableCheckpoint = (): Checkpoint | undefined => {
        for (let i = checkpoints.length - 1; i >= 0; i--) {
          const { at } = checkpoints[i];
          if (at <= deliveredLength && deliveredLength - at <= tail.length) return checkpoints[i];
        }
        return undefined;
      };

      const waitFor = (error: unknown, retryCount: number): number => {
        const asked = (error as { retryAfterMs?: unknown })?.retryAfterMs;
        if (typeof asked === 'number' && asked >= 0) return Math.min(asked, MAX_RETRY_AFTER_MS);
        if (typeof delay === 'number') return delay;
        if (typeof delay === 'function') return Math.max(0, Number(delay(error, retryCount)) || 0);
        const base = Math.min(8000, 500 * 2 ** (retryCount - 1));
        return Math.round(base * (0.75 + Math.random() * 0.5));
      };

      return run(source, 0, { kind: 'first' });
    });
}

/** A checkpoint resume that did not replay what followed the checkpoint: the next attempt continues instead. */
class ReplayMismatchError extends StreamInterruptedError {
  constructor() {
    super('the stream resumed from a checkpoint did not replay the text that followed it', { retryable: true });
  }
}

/** The default test: rxllm errors marked retryable, and a JSON line that did not parse (a corrupted read). */
function isRecoverable(error: unknown): boolean {
  if (isParseError(error)) return error.kind === 'json';
  return isRxllmError(error) && error.retryable;
}


/**
 * A continued attempt's citations, their spans moved from its own text into the answer (`by`); a span
 * that began in the seam the answer dropped (before `floor`) is left out, its source kept.
 */
function shiftSpans(citations: Citation[], by: number, floor: number): Citation[] {
  return citations.map((citation) => {
    if (!citation.span) return citation;
    const { span, ...source } = citation;
    const start = span.start + by;
    return start < floor ? source : { ...source, span: { ...span, start, end: span.end + by } };
  });
}
