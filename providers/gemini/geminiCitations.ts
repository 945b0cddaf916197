import type { Citation } from '../../lib/types/citation';
import { utf8OffsetsToIndices } from '../../lib/utf8OffsetsToIndices';
import type { GeminiWireCitationSource, GeminiWireGroundingChunk, GeminiWireGroundingMetadata } from './wireResponse';

/** A range of the answer in the API's units: UTF-8 bytes, `end` exclusive, and the text it quotes if it does. */
interface ByteRange {
  start: number | null | undefined;
  end: number | null | undefined;
  quoted?: string | null;
}

/**
 * Google Search grounding (`candidates[].groundingMetadata`) → `Citation`s: one per grounding chunk
 * (`web`, `retrievedContext` or `maps`: `url`, `title`) and support that cites it, in the order of
 * the chunks, with the `span` of the answer the support covers; a chunk no support cites comes once
 * without a span. `answer` is the answer's text so far: the segments count UTF-8 bytes of it (the
 * whole streamed text, not the event's part), converted here to string indices; a segment whose
 * offsets do not fall on that text (or disagree with its quoted `text`) is found by its quoted text,
 * else the citation has no span.
 *
 * @example
 * geminiGroundingCitations(
 *   { groundingChunks: [{ web: { uri: 'https://a.example', title: 'a.example' } }],
 *     groundingSupports: [{ segment: { startIndex: 9, endIndex: 15, text: 'Paris.' }, groundingChunkIndices: [0] }] },
 *   'Où? → Paris.',
 * );
 * // [{ url: 'https://a.example', title: 'a.example', span: { start: 6, end: 12, text: 'Paris.' } }]
 */
export function geminiGroundingCitations(metadata: GeminiWireGroundingMetadata, answer: string): Citation[] {
  const sources = (metadata.groundingChunks ?? []).map(groundingSource);
  if (sources.length === 0) return [];
  const supports = metadata.groundingSupports ?? [];
  const spans = spansOf(
    answer,
    supports.map((support) => ({ start: support.segment?.startIndex, end: support.segment?.endIndex, quoted: support.segment?.text })),
  );
  const cited: Citation[][] = sources.map(() => []);
  supports.forEach((support, k) => {
    for (const i of support.groundingChunkIndices ?? []) {
      const source = sources[i];
      if (!source) continue;
      const span = spans[k];
      cited[i].push(span ? { ...source, span } : { ...source });
    }
  });
  const citations: Citation[] = [];
  sources.forEach((source, i) => {
    if (!source) return;
    if (cited[i].length > 0) citations.push(...cited[i]);
    else citations.push(source);
  });
  return citations;
}

/**
 * Quoted sources (`citationMetadata.citationSources` of the Gemini API, `citationMetadata.citations`
 * of Vertex AI) → `Citation`s: `url`, `title`, `date` (Vertex's `publicationDate` as `YYYY-MM-DD`,
 * or shorter when the day or month is unknown) and the `span` of the answer that quotes them, from
 * the UTF-8 byte range (dropped when the range does not fall on the answer, as in recordings whose
 * text was replaced). A source with neither URI nor title is left out.
 *
 * @example
 * geminiSourceCitations([{ uri: 'https://b.example', startIndex: 0, endIndex: 6, publicationDate: { year: 2024, month: 3 } }], 'Déjà vu');
 * // [{ url: 'https://b.example', date: '2024-03', span: { start: 0, end: 4 } }]
 */
export function geminiSourceCitations(sources: readonly GeminiWireCitationSource[], answer: string): Citation[] {
  const kept = sources.filter((source) => source.uri || source.title);
  const spans = spansOf(
    answer,
    kept.map((source) => ({ start: source.startIndex, end: source.endIndex })),
  );
  return kept.map((source, k) => {
    const citation: Citation = {};
    if (source.uri) citation.url = source.uri;
    if (source.title) citation.title = source.title;
    const date = dateOf(source.publicationDate);
    if (date) citation.date = date;
    const span = spans[k];
    if (span) citation.span = span;
    return citation;
  });
}

function groundingSource(chunk: GeminiWireGroundingChunk): Citation | undefined {
  const source = chunk.web ?? chunk.retrievedContext ?? chunk.maps;
  if (!source?.uri) return undefined;
  const citation: Citation = { url: source.uri };
  if (source.title) citation.title = source.title;
  return citation;
}

/** Each byte range as a span of string indices of `answer`, or `undefined` where it names none. */
function spansOf(answer: string, ranges: readonly ByteRange[]): Array<Citation['span'] | undefined> {
  const offsets: number[] = [];
  for (const range of ranges) {
    // Google's JSON leaves a 0 out: an absent start is the answer's start
    const start = range.start ?? 0;
    const end = range.end ?? (range.quoted ? start + utf8Length(range.quoted) : -1);
    offsets.push(start, end);
  }
  const indices = utf8OffsetsToIndices(answer, offsets);
  return ranges.map((range, k) => {
    const start = indices[2 * k];
    const end = indices[2 * k + 1];
    const quoted = range.quoted || undefined;
    if (start !== undefined && end !== undefined && start < end && (quoted === undefined || answer.slice(start, end) === quoted)) {
      return quoted === undefined ? { start, end } : { start, end, text: quoted };
    }
    return quoted === undefined ? undefined : find(answer, quoted, start);
  });
}

/** The occurrence of `quoted` in `answer` nearest to `near` (the first when `near` is unknown). */
function find(answer: string, quoted: string, near: number | undefined): Citation['span'] | undefined {
  let best = -1;
  for (let at = answer.indexOf(quoted); at !== -1; at = answer.indexOf(quoted, at + 1)) {
    if (best === -1 || (near !== undefined && Math.abs(at - near) < Math.abs(best - near))) best = at;
    if (near === undefined || at >= near) break;
  }
  return best === -1 ? undefined : { start: best, end: best + quoted.length, text: quoted };
}

const encoder = new TextEncoder();
const utf8Length = (text: string): number => encoder.encode(text).length;

/** A `google.type.Date` `{ year, month, day }` (zeros for unknown parts) → `YYYY-MM-DD`, `YYYY-MM` or `YYYY`. */
function dateOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { year, month, day } = value as { year?: unknown; month?: unknown; day?: unknown };
  if (typeof year !== 'number' || year <= 0) return undefined;
  let date = String(year).padStart(4, '0');
  if (typeof month !== 'number' || month <= 0) return date;
  date += `-${String(month).padStart(2, '0')}`;
  if (typeof day !== 'number' || day <= 0) return date;
  return `${date}-${String(day).padStart(2, '0')}`;
}
