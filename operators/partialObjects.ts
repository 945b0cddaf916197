import { Observable, Subject, takeUntil, type OperatorFunction } from 'rxjs';
import { NoObjectError } from '../lib/errors/noObjectError';
import { isRxllmError } from '../lib/errors/rxllmError';
import { createPartialJsonParser } from '../lib/partialJson';
import type { Chunk } from '../lib/types/chunk';
import { AnswerEnd } from './noObjectReason';

/**
 * How many entries of open containers one character of text pays for: a value sent copies the
 * arrays and objects still open (what is complete is shared), so for an answer inside a very long
 * array the next value waits until the text since the last one pays for its copy. Below 32 × the
 * characters of a chunk (an open array of fewer than ~3,000 elements for chunks of 100 characters,
 * ~100 for chunks of one 4-character token) every chunk that changed the value sends one.
 */
const ENTRIES_PER_CHARACTER = 32;

/**
 * What `partialObjects<T>()` emits for an answer of type `T`: the same shape with every key
 * optional, all the way down (a string may be cut short, an array may lack its last elements).
 */
export type PartialObject<T> = T extends readonly (infer E)[]
  ? PartialObject<E>[]
  : T extends (...args: never[]) => unknown
    ? T
    : T extends object
      ? { [K in keyof T]?: PartialObject<T[K]> }
      : T;

/**
 * The value of a structured answer (JSON streamed as the chunks' `content`) as it arrives: after
 * each chunk that changed it, the partial value so far — strings grow, arrays gain elements, a key
 * shows once its value has started, and a number, `true`, `false` or `null` once complete (a
 * partial number could change meaning). At most one value per chunk, only when it changed; each is a
 * snapshot that never changes later, sharing with the one before every part already complete (see
 * `createPartialJsonParser`). A ```` ```json ```` fence around the JSON is accepted.
 *
 * Linear in the answer's length: the text is read once, and a value copies only the containers
 * still open; when those hold thousands of entries (an answer that is one long array), values are
 * spaced out so that the copies cost at most a constant per character — a value every few chunks
 * instead of every chunk — and the whole value always comes last, before the completion.
 *
 * Errors: text that is not JSON is a `ParseError` (kind `'json'`, `at` says where) as soon as it
 * arrives, after the value read up to it; an answer that ends before its JSON does is a `ParseError`
 * too. A refusal (chunks marked `metadata.refusal`, or Anthropic's `refusal` stop), an answer cut
 * at the token limit (`finishReason: 'length'`) or stopped by a content filter is a `NoObjectError`
 * (`reason` says which, `text` what the model wrote) at the end, after the values read. `reasoning`
 * and tool calls are not read.
 *
 * ```
 * chunks:   --a------b--------c-----d--|   a '{"name":"Ad'   b 'a","tags":["x'   c '"],"age":3'   d '6}'
 * partialObjects()
 * values:   --A------B--------------D--|   A { name: 'Ad' }   B { name: 'Ada', tags: ['x'] }   D { name: 'Ada', tags: ['x'], age: 36 }
 * ```
 * (`c` changes nothing one can see — `3` may still grow — so nothing is sent for it.)
 *
 * @example
 * interface Person { name: string; tags: string[]; age: number }
 * streamChat$('openai', messages, { output: { schema: Person } })
 *   .pipe(partialObjects<Person>())
 *   .subscribe((person) => form.patchValue(person)); // fills in field by field
 *
 * @see toObject for the final value, checked by a codec
 */
export function partialObjects<T = unknown>(): OperatorFunction<Chunk, PartialObject<T>> {
  return (source) =>
    new Observable<PartialObject<T>>((subscriber) => {
      const parser = createPartialJsonParser();
      const answer = new AnswerEnd();
      // the content, kept to say what the model wrote when there is no object
      let parts: string[] = [];
      let sent: unknown;
      // characters read since the last value sent: what pays for the next one's copy
      let credit = 0;
      const sendIfChanged = (): boolean => {
        const value = parser.value();
        if (value === undefined || value === sent) return false;
        sent = value;
        subscriber.next(value as PartialObject<T>);
        return true;
      };
      const fail = (error: unknown) => {
        if (isRxllmError(error)) error.provider ??= answer.provider;
        subscriber.error(error);
      };

      // tied to the subscriber before the source runs: an unsubscribe during a synchronous emission stops the source
      const stop$ = new Subject<void>();
      subscriber.add(() => {
        stop$.next();
        parts = [];
      });
      source.pipe(takeUntil(stop$)).subscribe({
        next(chunk) {
          if (subscriber.closed) return;
          if (answer.add(chunk) || answer.refusal || !chunk.content) return;
          parts.push(chunk.content);
          credit += chunk.content.length;
          try {
            parser.feed(chunk.content);
            // a value copies the containers still open: sent when the text since the last one pays for it
            if (credit * ENTRIES_PER_CHARACTER >= parser.openEntries && sendIfChanged()) credit = 0;
          } catch (error) {
            // what was read before the bad character goes out first
            sendIfChanged();
            fail(error);
          }
        },
        error(error: unknown) {
          // a value held back to stay linear goes out before the error
          if (!subscriber.closed) sendIfChanged();
          subscriber.error(error);
        },
        complete() {
          if (subscriber.closed) return;
          const reason = answer.reason();
          if (reason) {
            const text = (answer.refusal ?? parts).join('');
            fail(new NoObjectError({ provider: answer.provider, reason, text, finishReason: answer.finishReason }));
            return;
          }
          try {
            parser.end();
            // the whole value, also when the last chunks were too small to pay for a copy
            sendIfChanged();
          } catch (error) {
            fail(error);
            return;
          }
          subscriber.complete();
        },
      });
    });
}
