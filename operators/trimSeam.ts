import { SENTENCE_END } from '../lib/sentenceEnd';

/** The shortest unfinished line or sentence taken for a restart when a continuation begins with it again. */
export const MIN_RESTART = 16;
/** The longest one looked for: the seam never holds more of a continuation than this. */
export const MAX_RESTART = 240;

/** What the seam knows of the answer a continuation joins. */
export interface SeamContext {
  /** the end of the text the subscriber has (at least its last line or sentence) */
  delivered: string;
  /** true when `delivered` is the whole delivered text, so its first character starts the answer */
  whole: boolean;
  /** the white space the continuation request trimmed from the end of `delivered` (a prefill may not end in white space), else '' */
  trimmed: string;
}

const WORD = /\p{L}{2,}/gu;

/**
 * How many leading characters of a continuation's text repeat what the subscriber already has, or
 * `undefined` while `start` is still too short to tell (the next text, or the end, decides). The
 * seam never alters what the model said; it drops only what is provably a repeat:
 *
 * 1. **the white space the request trimmed** — a prefill may not end in white space, so a model
 *    that continues the trimmed turn writes it again: the longest common prefix of `trimmed` and
 *    `start` is dropped, nothing more;
 * 2. **a restart of the unfinished line or sentence** — when the delivered text ends inside a line
 *    or sentence and the continuation begins with that whole unfinished part again (from its first
 *    character), the model started it over and the repeat is dropped. Only an unfinished part of
 *    `MIN_RESTART` to `MAX_RESTART` characters, with three or more words, that is not itself a
 *    repetition of a shorter unit (`very very very `, `-----`, `| a | a | a `) counts: genuine
 *    repetition in an answer survives a break inside it.
 *
 * Everything else — leading white space, blank lines, indentation, a repeated word or row — is
 * the model's and goes out as it came.
 *
 * @example
 * trimSeam({ delivered: 'Intro.\nThe sky is blue because ', whole: true, trimmed: '' }, 'The sky is blue because of scattering.', false); // 24
 * trimSeam({ delivered: 'def f():\n', whole: true, trimmed: '\n' }, '\n    return 1', false); // 1
 * trimSeam({ delivered: 'def f():\n', whole: true, trimmed: '' }, '    return 1', false); // 0
 */
export function trimSeam(context: SeamContext, start: string, final: boolean): number | undefined {
  const { trimmed } = context;
  let skip = 0;
  while (skip < trimmed.length && skip < start.length && trimmed[skip] === start[skip]) skip++;
  // all of the text so far is trimmed white space: whether more of it follows is not known yet
  if (skip === start.length && skip < trimmed.length && !final) return undefined;

  const unfinished = restartable(context);
  if (unfinished === '') return skip;
  const rest = start.slice(skip);
  if (rest.startsWith(unfinished)) return skip + unfinished.length;
  if (!final && rest.length < unfinished.length && unfinished.startsWith(rest)) return undefined;
  return skip;
}

/** The unfinished line or sentence at the end of the delivered text when a restart of it can be recognised, else ''. */
function restartable({ delivered, whole }: SeamContext): string {
  const lineStart = delivered.lastIndexOf('\n') + 1;
  let sentenceStart = 0;
  SENTENCE_END.lastIndex = lineStart;
  for (let m = SENTENCE_END.exec(delivered); m !== null; m = SENTENCE_END.exec(delivered)) sentenceStart = m.index + m[0].length;
  const from = Math.max(lineStart, sentenceStart);
  // a part that reaches back to the start of a tail is not known to begin there
  if (from === 0 && !whole) return '';
  const unfinished = delivered.slice(from);
  if (unfinished.length < MIN_RESTART || unfinished.length > MAX_RESTART) return '';
  if ((unfinished.match(WORD) ?? []).length < 3) return '';
  return isRepetition(unfinished) ? '' : unfinished;
}

/**
 * Whether `text` repeats a unit of at most half its length (`abcabcab`): its smallest period, from
 * the prefix function (Knuth–Morris–Pratt), is at most half of it.
 */
export function isRepetition(text: string): boolean {
  const n = text.length;
  if (n < 2) return false;
  const border = new Array<number>(n).fill(0);
  for (let i = 1, k = 0; i < n; i++) {
    while (k > 0 && text[i] !== text[k]) k = border[k - 1];
    if (text[i] === text[k]) k++;
    border[i] = k;
  }
  return n - border[n - 1] <= n / 2;
}
