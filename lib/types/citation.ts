import * as t from 'io-ts';
import { NonNegativeNumber } from '../codec/readable';

/** A range `[start, end)`: characters, pages or content blocks of a document, or characters of the answer. */
const Range = t.type({ start: NonNegativeNumber, end: NonNegativeNumber });

/**
 * Where a citation points inside a document the request sent (Anthropic's document citations): a
 * range of its characters (`char_location`), of its pages (`page_location`, 1-based as the API
 * counts them) or of its content blocks (`content_block_location`), `end` exclusive.
 */
export interface CitedLocation {
  kind: 'char' | 'page' | 'block';
  start: number;
  end: number;
}

/** The codec of `CitedLocation` (checked against the interface). */
export const CitedLocation: t.Type<CitedLocation> = t.intersection([t.type({ kind: t.keyof({ char: null, page: null, block: null }) }), Range]);

/**
 * A source the answer cites: a web page (Perplexity search results, OpenAI url annotations, Gemini
 * grounding, Anthropic web and search results) has a `url`; a document the request sent (Anthropic
 * document citations) has no URL but its `documentIndex` and `location`. Every field is optional, as
 * each API reports a different part of it; `toResponse()` keeps each source once (`citationKey`), in
 * the order they first came.
 */
export interface Citation {
  /** the cited page */
  url?: string;
  title?: string;
  /** the cited text, as the API quotes it */
  snippet?: string;
  /** the page's date, as the API gives it (Perplexity) */
  date?: string;
  /** a document of the request: its index among the request's documents (Anthropic `document_index`) */
  documentIndex?: number;
  /** where in that document */
  location?: CitedLocation;
  /** the part of the answer this source supports: offsets into `content` (JavaScript string indices, `end` exclusive), and that text when the API quotes it */
  span?: { start: number; end: number; text?: string };
}

/** The codec of `Citation` (checked against the interface). */
export const Citation: t.Type<Citation> = t.partial({
  /** the cited page */
  url: t.string,
  title: t.string,
  /** the cited text, as the API quotes it */
  snippet: t.string,
  /** the page's date, as the API gives it (Perplexity) */
  date: t.string,
  /** a document of the request: its index among the request's documents (Anthropic `document_index`) */
  documentIndex: NonNegativeNumber,
  /** where in that document */
  location: CitedLocation,
  /**
   * the part of the answer this source supports, as offsets into the answer's `content` (JavaScript
   * string indices, `end` exclusive), where the API says so (OpenAI url annotations, Gemini grounding
   * supports); `text` is that part when the API quotes it
   */
  span: t.intersection([Range, t.partial({ text: t.string })]),
});

/**
 * What makes two citations the same source: the URL; for a document of the request, the document and
 * the cited range; else the title and the cited text.
 *
 * @example
 * citationKey({ url: 'https://example.com', title: 'Example' }); // 'https://example.com'
 * citationKey({ documentIndex: 0, location: { kind: 'page', start: 1, end: 2 } }); // 'document 0 page 1-2'
 */
export function citationKey(citation: Citation): string {
  if (citation.url !== undefined) return citation.url;
  const { documentIndex, location } = citation;
  if (documentIndex !== undefined || location !== undefined) return `document ${documentIndex ?? '?'}${location ? ` ${location.kind} ${location.start}-${location.end}` : ''}`;
  return `text ${JSON.stringify([citation.title ?? '', citation.snippet ?? ''])}`;
}
