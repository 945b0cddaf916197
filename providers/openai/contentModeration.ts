import {
  asyncScheduler,
  defer,
  from,
  Subscription,
  take,
  timeout,
  type MonoTypeOperatorFunction,
  type ObservableInput,
} from 'rxjs';
import * as t from 'io-ts';
import { chunkOperator } from '../../lib/chunkOperator';
import { checkConfig } from '../../lib/codec/checkConfig';
import { fn, PositiveNumber, Scheduler } from '../../lib/codec/readable';
import type { Chunk } from '../../lib/types/chunk';
import { lastSentenceEnd } from './lastSentenceEnd';

/** What a moderation check says about a text. */
export interface ModerationVerdict {
  flagged: boolean;
  /** the categories found: their names, or a record of name → flagged (as the moderation endpoint gives them) */
  categories?: readonly string[] | Readonly<Record<string, boolean | null | undefined>>;
  /** per category, the model's score (the endpoint's `category_scores`) */
  scores?: Readonly<Record<string, number>>;
}

/** A moderation check: the text so far in, a verdict out (a Promise, an Observable — the first value counts). */
export type ModerationCheck = (text: string) => ObservableInput<ModerationVerdict>;
export const ModerationCheck = fn<ModerationCheck>('a function (text) => Promise<{ flagged, categories }> | Observable<…>');

/** How a check runs: the fields `contentModeration` takes beside `check` (the `contentModeration` option of the OpenAI provider takes them too). */
export const ModerationSettings = t.partial(
  {
    /** how long one check may take before it counts as failed, in ms (default 10 000) */
    timeoutMs: PositiveNumber,
    /** the timer of `timeoutMs` (default `asyncScheduler`; a `TestScheduler` in marble tests) */
    scheduler: Scheduler,
  },
  '{ timeoutMs?, scheduler? }',
);

/** The configuration of `contentModeration`. */
export const ContentModerationConfig = t.intersection(
  [
    t.type({
      /** the check, e.g. a call of OpenAI's moderation endpoint (see `createOpenAIModerationCheck`) */
      check: ModerationCheck,
    }),
    ModerationSettings,
  ],
  '{ check, timeoutMs?, scheduler? }',
);
export type ContentModerationConfig = t.TypeOf<typeof ContentModerationConfig>;

/** What `contentModeration` puts in `metadata.moderation`. */
export type ModerationReport =
  | {
      flagged: true;
      /** the names of the flagged categories */
      categories: string[];
      scores?: Record<string, number>;
      /** how many characters of the answer's text the flagging check read */
      checkedLength: number;
    }
  | {
      /** a check that failed: the text it covered is unjudged, the stream goes on (fail-open) */
      flagged: false;
      error: { name: string; message: string; status?: number };
      checkedLength: number;
    };

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Moderates the answer while it streams. At each sentence boundary (a line break, or `.` `!` `?`
 * and white space, see `lastSentenceEnd`) the text accumulated so far is checked with `check`;
 * when a check flags it, the request is cancelled and the stream ends (completes) with one last
 * synthetic chunk: `finishReason: 'content_filter'` and `metadata.moderation = { flagged: true,
 * categories, scores?, checkedLength }`.
 *
 * The text is never held back: chunks pass as they come and a check runs beside them, at most one
 * at a time. While one runs, newer sentences wait; when it returns clean, the text up to the latest
 * boundary is checked next (one check covers all the sentences that waited). A check may therefore
 * lag the text, and flagged text may already have been delivered — the verdict ends the stream
 * and tells the UI to withdraw it. At the natural end, the rest of the text (up to its last
 * character) is checked before the stream completes; a flag then adds the `content_filter` chunk
 * after the provider's own finish (the last finish reason is the answer's).
 *
 * A failed check (an HTTP error, a network failure, a timeout, a thrown error, a verdict without
 * `flagged`) is not fatal: a synthetic chunk reports it in `metadata.moderation = { flagged: false,
 * error, checkedLength }`, and the next check covers that text again, since every check reads the
 * whole text so far. To fail closed, make `check` return `{ flagged: true }` on its own errors.
 * An error of the stream itself ends it as it comes; `seq` is numbered again.
 *
 * ```
 * chunks:   --a.--b.--c.--d--|          (each a sentence; the check of a+b+c flags it)
 * checks:     [a]-[a+b]--[a+b+c]!
 * contentModeration({ check })
 * chunks:   --a.--b.--c.--(F|)          (F: finishReason 'content_filter', metadata.moderation)
 * ```
 *
 * @example
 * streamChat$(openai, messages, { contentModeration: true }); // OpenAI's moderation endpoint
 * // or any check, e.g. a word list
 * chunks$.pipe(contentModeration({ check: async (text) => ({ flagged: /forbidden/i.test(text), categories: ['word-list'] }) }));
 *
 * @param config the check, and how long one may take
 * @see highlightFunctionCalls
 */
export function contentModeration(config: ContentModerationConfig): MonoTypeOperatorFunction<Chunk> {
  const { check, timeoutMs = DEFAULT_TIMEOUT_MS, scheduler = asyncScheduler } = checkConfig(ContentModerationConfig, config, 'contentModeration config');

  return chunkOperator(
    (out) => {
      const checks = new Subscription();
      out.add(() => checks.unsubscribe());

      let text = '';
      let boundary = 0; // end of the latest complete sentence
      let checkedEnd = 0; // end of the text the latest check read
      let checking = false;
      let sourceDone = false;

      /** After a check: the next one, or the end when the source is done and everything was read. */
      const proceed = () => {
        if (boundary > checkedEnd) startCheck(boundary);
        else if (sourceDone) {
          // the rest of the text, unless it is only white space
          if (text.length > checkedEnd && text.slice(checkedEnd).trim() !== '') startCheck(text.length);
          else out.complete();
        }
      };
      const flag = (verdict: ModerationVerdict, end: number) => {
        const moderation: ModerationReport = { flagged: true, categories: categoriesOf(verdict.categories), checkedLength: end };
        if (verdict.scores) moderation.scores = { ...verdict.scores };
        out.next(out.synthetic({ finishReason: 'content_filter', metadata: { moderation } }));
        out.complete();
      };
      const failed = (error: unknown, end: number) => {
        const e = error as { name?: unknown; message?: unknown; status?: unknown };
        const described: { name: string; message: string; status?: number } = {
          name: typeof e?.name === 'string' ? e.name : 'Error',
          message: typeof e?.message === 'string' ? e.message : String(error),
        };
        if (typeof e?.status === 'number') described.status = e.status;
        out.next(out.synthetic({ metadata: { moderation: { flagged: false, error: described, checkedLength: end } satisfies ModerationReport } }));
      };
      const startCheck = (end: number) => {
        checking = true;
        checkedEnd = end;
        const snapshot = text.slice(0, end);
        let settled = false;
        const settle = (run: () => void) => {
          if (settled || out.closed) return;
          settled = true;
          checking = false;
          run();
          if (!out.closed) proceed();
        };
        checks.add(
          defer(() => from(check(snapshot)))
            .pipe(take(1), timeout({ first: timeoutMs, scheduler }))
            .subscribe({
              next: (verdict) =>
                settle(() => {
                  if (verdict === null || typeof verdict !== 'object' || typeof verdict.flagged !== 'boolean') {
                    failed(new TypeError('contentModeration: the check returned no { flagged } verdict'), end);
                  } else if (verdict.flagged) flag(verdict, end);
                }),
              error: (error: unknown) => settle(() => failed(error, end)),
              complete: () => settle(() => failed(new TypeError('contentModeration: the check completed without a verdict'), end)),
            }),
        );
      };

      return {
        step(chunk) {
          out.next(chunk);
          if (!chunk.content) return;
          const scanFrom = text.length;
          text += chunk.content;
          const end = lastSentenceEnd(text, scanFrom);
          if (end > boundary) boundary = end;
          if (!checking && boundary > checkedEnd) startCheck(boundary);
        },
        // the stream completes once the rest of the text is checked; an error of the stream ends it as it comes
        end() {
          sourceDone = true;
          if (!checking) proceed();
        },
      };
    },
    { provider: 'openai' },
  );
}

/** The flagged category names of a verdict: a list as it is, a record's keys whose value is true. */
function categoriesOf(categories: ModerationVerdict['categories']): string[] {
  if (!categories) return [];
  if (Array.isArray(categories)) return categories.filter((c): c is string => typeof c === 'string');
  return Object.entries(categories as Record<string, unknown>)
    .filter(([, value]) => value === true)
    .map(([name]) => name);
}
