import * as t from 'io-ts';
import { checkConfig } from '../../lib/codec/checkConfig';
import { PositiveInteger, refined } from '../../lib/codec/readable';
import { refineObject } from '../../lib/codec/refineObject';
/** A whole number ≥ 2: how often an n-gram must recur to count as a loop. */
const Threshold = refined(t.number, 'a whole number ≥ 2', (n) => Number.isInteger(n) && n >= 2);

/** How `createRepetitionDetector` recognises a loop (also `validateQuality`'s `repetition`). */
export const RepetitionConfig = refineObject(
  t.partial(
    {
      /** words per n-gram (default 5) */
      ngram: PositiveInteger,
      /** how many times the same n-gram must occur within the window to count as a loop (default 4, at least 2) */
      threshold: Threshold,
      /** how many of the latest n-grams are remembered (default 200, at least `threshold`) */
      window: PositiveInteger,
    },
    '{ ngram?, threshold?, window? }',
  ),
  ({ threshold = 4, window = 200 }) => (window >= threshold ? undefined : { at: 'window', expected: `a whole number ≥ threshold (${threshold})` }),
);
export type RepetitionConfig = t.TypeOf<typeof RepetitionConfig>;

/** A loop found in the text: the repeated words and where the loop was recognised. */
export interface RepetitionFinding {
  /** the repeated n-gram, as normalised (lower case, punctuation trimmed) */
  ngram: string;
  /** how often it occurred within the window */
  occurrences: number;
  /** the number of words read when the loop was recognised */
  atWord: number;
}

/** Reads streamed text and says when it starts to loop. */
export interface RepetitionDetector {
  /** the next piece of text, cut anywhere (a word may continue in the next piece); a loop found in it, if any */
  push(text: string): RepetitionFinding | undefined;
  /** the text ended: the last word counts too */
  end(): RepetitionFinding | undefined;
}

/** A word longer than this without white space is taken as it is, so the held tail stays small. */
const MAX_WORD = 256;

/**
 * A detector of repetition loops in streamed text, in time linear in the text and memory bounded
 * by the window: each word completes one n-gram of the last `ngram` words, counted in a rolling
 * window of the latest `window` n-grams (a ring and a map of counts; the oldest is forgotten as a
 * new one comes). A loop is an n-gram that occurs `threshold` times within the window — a model
 * stuck on one sentence repeats each of its n-grams once per turn. Words are compared in lower case
 * with punctuation trimmed at both ends; words of punctuation only (`-`, `|`, `---` of a Markdown
 * table) are skipped, so they never make a loop.
 *
 * @example
 * const detector = createRepetitionDetector({ ngram: 3, threshold: 3 });
 * detector.push('I am sorry. I am sorry. I am ');
 * detector.push('sorry. '); // { ngram: 'i am sorry', occurrences: 3, atWord: 9 }
 */
export function createRepetitionDetector(config: RepetitionConfig = {}): RepetitionDetector {
  const { ngram = 5, threshold = 4, window = 200 } = checkConfig(RepetitionConfig, config, 'repetition config');

  const last: string[] = []; // the latest `ngram` words
  const ring: Array<string | undefined> = new Array(window); // the latest `window` n-grams
  let ringAt = 0;
  const counts = new Map<string, number>();
  let words = 0;
  let tail = ''; // a word that may continue in the next piece

  const addWord = (raw: string): RepetitionFinding | undefined => {
    const word = normalise(raw);
    if (!word) return undefined;
    words++;
    last.push(word);
    if (last.length > ngram) last.shift();
    if (last.length < ngram) return undefined;
    const key = last.join(' ');
    const forgotten = ring[ringAt];
    if (forgotten !== undefined) {
      const n = counts.get(forgotten)! - 1;
      if (n === 0) counts.delete(forgotten);
      else counts.set(forgotten, n);
    }
    ring[ringAt] = key;
    ringAt = (ringAt + 1) % window;
    const occurrences = (counts.get(key) ?? 0) + 1;
    counts.set(key, occurrences);
    return occurrences >= threshold ? { ngram: key, occurrences, atWord: words } : undefined;
  };

  return {
    push(text) {
      let found: RepetitionFinding | undefined;
      let from = 0;
      const piece = tail + text;
      tail = '';
      const pattern = /\s+/g;
      for (let m = pattern.exec(piece); m !== null; m = pattern.exec(piece)) {
        if (m.index > from) {
          const finding = addWord(piece.slice(from, m.index));
          found ??= finding;
        }
        from = m.index + m[0].length;
      }
      tail = piece.slice(from);
      if (tail.length > MAX_WORD) {
        const finding = addWord(tail);
        found ??= finding;
        tail = '';
      }
      return found;
    },
    end() {
      const word = tail;
      tail = '';
      return word ? addWord(word) : undefined;
    },
  };
}

/** A word as compared: lower case, punctuation and symbols trimmed at both ends ('' when nothing is left). */
function normalise(word: string): string {
  return word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '').toLowerCase();
}
