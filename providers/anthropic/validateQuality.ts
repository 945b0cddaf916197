import * as t from 'io-ts';
import type { MonoTypeOperatorFunction } from 'rxjs';
import { chunkOperator } from '../../lib/chunkOperator';
import { checkConfig } from '../../lib/codec/checkConfig';
import { QualityError } from '../../lib/errors/qualityError';
import type { Chunk } from '../../lib/types/chunk';
import { createRepetitionDetector, RepetitionConfig, type RepetitionDetector } from './repetitionDetector';

/** One problem `validateQuality` found. */
export type QualityIssue =
  | { type: 'repetition'; message: string; ngram: string; occurrences: number; atWord: number }
  | { type: 'empty'; message: string }
  | { type: 'truncated'; message: string; rawFinishReason?: string };

/** What `validateQuality` reports in `metadata.quality`. */
export interface QualityReport {
  /** true when no issue was found */
  ok: boolean;
  issues: QualityIssue[];
}

/** The configuration of `validateQuality` (also the `validateQuality` option of the Anthropic provider, or `true`). */
export const ValidateQualityConfig = t.partial(
  {
    /** `'report'` (default): the issues go in `metadata.quality` of the final chunk; `'error'`: the stream ends with `QualityError` */
    onIssue: t.keyof({ report: null, error: null }, "'report' or 'error'"),
    /** how a repetition loop is recognised (default `{ ngram: 5, threshold: 4, window: 200 }`); `false` turns the loop check off */
    repetition: t.union([t.literal(false), RepetitionConfig]),
  },
  '{ onIssue?, repetition? }',
);
export type ValidateQualityConfig = t.TypeOf<typeof ValidateQualityConfig>;

/**
 * Checks the answer for degenerate output while it streams:
 * - a **repetition loop** — the same word n-gram occurring `threshold` times within the latest
 *   `window` n-grams of the text (checked word by word, in linear time, as the text arrives);
 * - an **empty answer** — no text (other than white space) and no tool call by the finish
 *   (reasoning alone is not an answer);
 * - a **truncation** — the finish reason is `'length'` (Anthropic's `max_tokens`).
 *
 * With `onIssue: 'report'` (the default) nothing is held or changed: the chunk that carries the
 * finish reason gets `metadata.quality = { ok, issues }` (a repetition is reported once, as first
 * found), or, when the stream completes without one, a last synthetic chunk (`bytes: 0`) carries
 * it. With `onIssue: 'error'` the stream ends with `QualityError` (its `issues` say what) as soon as
 * a loop is recognised — instead of the chunk that completed it — or at the finish for an empty or
 * cut answer. Only `content` is checked; `seq` is numbered again where a chunk is added.
 *
 * ```
 * chunks:   --a--b--b--b--(f|)          (b repeats a sentence, f: finish)
 * validateQuality()
 * chunks:   --a--b--b--b--(f'|)         (f'.metadata.quality = { ok: false, issues: [{ type: 'repetition', … }] })
 * validateQuality({ onIssue: 'error' })
 * chunks:   --a--b--b--#                (QualityError)
 * ```
 *
 * @example
 * streamChat$(anthropic, messages, { validateQuality: true })
 *   .pipe(toResponse())
 *   .subscribe(({ metadata }) => console.log(metadata.quality)); // { ok: true, issues: [] }
 * // by hand, failing on a loop of 3-word phrases seen 3 times
 * chunks$.pipe(validateQuality({ onIssue: 'error', repetition: { ngram: 3, threshold: 3 } }));
 *
 * @param config what to do with an issue, and how a loop is recognised
 * @see annotateReasoning
 */
export function validateQuality(config: ValidateQualityConfig = {}): MonoTypeOperatorFunction<Chunk> {
  const { onIssue = 'report', repetition = {} } = checkConfig(ValidateQualityConfig, config, 'validateQuality config');

  return chunkOperator(
    (out) => {
      const detector: RepetitionDetector | undefined = repetition === false ? undefined : createRepetitionDetector(repetition);
      let loop: QualityIssue | undefined;
      let answered = false;
      let reported = false;

      const fail = (provider: string, issues: QualityIssue[]) => {
        throw new QualityError({ provider, issues });
      };
      const noteLoop = (provider: string, found: ReturnType<RepetitionDetector['push']>) => {
        if (!found || loop) return;
        loop = {
          type: 'repetition',
          message: `the ${found.ngram.split(' ').length}-word sequence "${found.ngram}" occurred ${found.occurrences} times within the latest n-grams (at word ${found.atWord})`,
          ngram: found.ngram,
          occurrences: found.occurrences,
          atWord: found.atWord,
        };
        if (onIssue === 'error') fail(provider, [loop]);
      };
      /** The report at the end of the answer; in `'error'` mode a throw when it has issues. */
      const report = (provider: string, finish: Chunk | undefined): QualityReport => {
        reported = true;
        if (detector && !loop) noteLoop(provider, detector.end());
        const issues: QualityIssue[] = loop ? [loop] : [];
        if (!answered) issues.push({ type: 'empty', message: 'the answer has no text and no tool call' });
        if (finish?.finishReason === 'length') {
          const raw = finish.metadata?.rawFinishReason;
          const issue: QualityIssue = { type: 'truncated', message: `the answer was cut by the token limit${typeof raw === 'string' ? ` (${raw})` : ''}` };
          if (typeof raw === 'string') issue.rawFinishReason = raw;
          issues.push(issue);
        }
        if (onIssue === 'error' && issues.length > 0) fail(provider, issues);
        return { ok: issues.length === 0, issues };
      };

      return {
        step(chunk) {
          if (chunk.content) {
            if (!answered && chunk.content.trim() !== '') answered = true;
            // once a loop is found there is nothing more to look for
            if (detector && !loop) noteLoop(chunk.provider, detector.push(chunk.content));
          }
          if (chunk.toolCalls?.length) answered = true;
          if (chunk.finishReason !== undefined && !reported) {
            const quality = report(chunk.provider, chunk);
            return out.next({ ...chunk, metadata: { ...chunk.metadata, quality } });
          }
          out.next(chunk);
        },
        // no finish reason came: at completion the report rides on a last chunk of its own
        end() {
          if (!reported) {
            const last = out.synthetic();
            last.metadata = { quality: report(last.provider, undefined) };
            out.next(last);
          }
          out.complete();
        },
      };
    },
    { provider: 'anthropic' },
  );
}
