import * as t from 'io-ts';
import type { MonoTypeOperatorFunction } from 'rxjs';
import { chunkOperator } from '../../lib/chunkOperator';
import { checkConfig } from '../../lib/codec/checkConfig';
import { fn } from '../../lib/codec/readable';
import type { Chunk } from '../../lib/types/chunk';
import type { Citation } from '../../lib/types/citation';
import type { DroppedSource } from './validateSources';

/** Renders marker `[n]` for its source (the default gives a Markdown link, `[n](url)`); `undefined` keeps the marker as it is. */
export type CitationFormat = (n: number, citation: Citation) => string | undefined;

/** The configuration of `inlineCitations` (also the `inlineCitations` option of the Perplexity provider, or `true`). */
export const InlineCitationsConfig = t.partial(
  {
    /** how a marker is written (default: `[n](url)` for an http(s) URL; other markers stay as they are) */
    format: fn<CitationFormat>('a function (n, citation) => string | undefined'),
  },
  '{ format? }',
);
export type InlineCitationsConfig = t.TypeOf<typeof InlineCitationsConfig>;

/**
 * Rewrites the answer's citation markers `[n]` into links to the n-th source of the stream's
 * `citations` (1-based, the order Perplexity numbers them in): `[2]` → `[2](https://…)`, or
 * whatever `format(n, citation)` returns. A marker cut across chunks (`"[1"` + `"2]"`) is rewritten
 * too: only the characters that may still become a marker (`[`, `[1`, `[12`) are held back, and
 * let go as soon as they cannot — with the next chunk, or with the finish reason at the latest. A
 * marker whose n has no source (or, with the default format, whose URL is not http(s)) stays as it
 * is; sources that `validateSources` dropped keep their number, so the other markers still point
 * right. Until sources arrive, and on a stream without any, the text passes unchanged.
 *
 * Every chunk goes out (one whose text is all held carries no `content`); held text left at the
 * end, or before an error, goes out on one last chunk with `bytes: 0`.
 *
 * ```
 * chunks:  --a---------b----------c--|   a: citations [u1, u2], 'Ruby is fun.[', b: '2] Rails', c: finish
 * inlineCitations()
 * chunks:  --a'--------b'---------c--|   a': 'Ruby is fun.', b': '[2](u2) Rails'
 * ```
 *
 * @example
 * streamChat$('perplexity', [{ role: 'user', content: 'What is Ruby?' }], { inlineCitations: true })
 *   .pipe(toResponse())
 *   .subscribe(({ content }) => console.log(content)); // 'Ruby is … language.[1](https://www.ruby-lang.org/en/)'
 * // footnote style
 * source$.pipe(inlineCitations({ format: (n, { url }) => `<sup><a href="${url}">${n}</a></sup>` }));
 *
 * @param config the marker's rendering
 * @see validateSources
 */
export function inlineCitations(config: InlineCitationsConfig = {}): MonoTypeOperatorFunction<Chunk> {
  const { format = markdownLink } = checkConfig(InlineCitationsConfig, config, 'inlineCitations config');

  return chunkOperator((out) => {
    /** sources by marker number - 1; a hole where `validateSources` dropped one */
    let sources: Array<Citation | undefined> = [];
    /** the longest marker number's length, so that `[` + more digits cannot be a marker */
    let digits = 0;
    let held = '';

    const rewrite = (text: string, final: boolean): string => {
      let written = '';
      let i = 0;
      while (i < text.length) {
        const open = text.indexOf('[', i);
        if (open < 0) {
          written += text.slice(i);
          break;
        }
        written += text.slice(i, open);
        let k = open + 1;
        while (k < text.length && k - open - 1 <= digits && isDigit(text.charCodeAt(k))) k++;
        const number = text.slice(open + 1, k);
        if (k === text.length) {
          // the text ends inside what may still become a marker: hold it back
          if (!final && sources.length > 0 && number.length <= digits && (number === '' || mayBecomeSource(number, sources.length))) {
            held = text.slice(open);
            return written;
          }
          written += text.slice(open);
          break;
        }
        if (text[k] === ']' && number !== '') {
          const citation = sources[Number(number) - 1];
          const rendered = citation && number[0] !== '0' ? format(Number(number), citation) : undefined;
          written += typeof rendered === 'string' ? rendered : text.slice(open, k + 1);
          i = k + 1;
          continue;
        }
        // `[` not followed by digits and `]`: ordinary text; look again from the first non-digit
        written += text.slice(open, k);
        i = k;
      }
      held = '';
      return written;
    };

    return {
      step(chunk) {
        if (chunk.citations) {
          sources = numberedSources(chunk.citations, chunk.metadata?.droppedSources as DroppedSource[] | undefined);
          digits = String(sources.length).length;
        }
        const final = chunk.finishReason !== undefined;
        const text = chunk.content;
        if ((text !== undefined && (sources.length > 0 || held !== '')) || (final && held !== '')) {
          const rewritten = rewrite(held + (text ?? ''), final);
          if (rewritten !== text) {
            const changed = { ...chunk };
            if (rewritten === '') delete changed.content;
            else changed.content = rewritten;
            return out.next(changed);
          }
        }
        out.next(chunk);
      },
      // held text left at the end, or before an error, goes out on a last chunk
      flush() {
        if (held === '') return;
        const content = held;
        held = '';
        out.next(out.synthetic({ content }));
      },
    };
  });
}

/** `[n](url)` for an http(s) URL; `undefined` (the marker stays as it is) for any other, or none. */
function markdownLink(n: number, { url }: Citation): string | undefined {
  if (url === undefined || !/^https?:\/\//i.test(url)) return undefined;
  return `[${n}](${markdownDestination(url)})`;
}

/** A URL as a Markdown link destination: blanks and unbalanced parentheses escaped. */
function markdownDestination(url: string): string {
  let depth = 0;
  let balanced = true;
  for (const ch of url) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) balanced = false;
  }
  const escaped = url.replace(/[\s<>]/g, (ch) => encodeURIComponent(ch));
  return balanced && depth === 0 ? escaped : escaped.replace(/[()]/g, (ch) => (ch === '(' ? '%28' : '%29'));
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/** Whether digits read so far (`'1'` of `[1`) may still end as a marker of one of `count` sources. */
function mayBecomeSource(number: string, count: number): boolean {
  if (number[0] === '0') return false;
  let lowest = Number(number);
  for (let length = number.length; length <= String(count).length; length++, lowest *= 10) {
    if (lowest <= count) return true;
  }
  return false;
}

/** The sources by marker number: the citations, with a hole at the number of each source `validateSources` dropped. */
function numberedSources(citations: readonly Citation[], dropped: readonly DroppedSource[] | undefined): Array<Citation | undefined> {
  if (!dropped?.length) return citations.slice();
  const holes = new Set(dropped.map((d) => d.index));
  const out: Array<Citation | undefined> = [];
  let next = 0;
  while (next < citations.length) out.push(holes.has(out.length + 1) ? undefined : citations[next++]);
  return out;
}
