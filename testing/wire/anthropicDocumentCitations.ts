/** The kinds of document citation the Messages API streams: a text document, a PDF, a custom content document. */
export type AnthropicCitationKind = 'char' | 'page' | 'block';

/** One text block of a cited answer: its text and the citation that comes before it. */
export interface CitedPart {
  text: string;
  citation: Record<string, unknown>;
}

const SENTENCE = /[^.!?。！？]*[.!?。！？]+\s*|[^.!?。！？]+$/gu;

/**
 * An answer's text as the Messages API streams it when the request's documents have citations
 * enabled: one text block per sentence, each citing document 0 with a `citations_delta` before its
 * text (as the recorded stream `ruby-llm-citations-with-anthropic-claude-haiku-4-5-streams-citations-0`
 * does), of the kind a document gives — `char_location` for a text document (`start_char_index` /
 * `end_char_index`, in code points), `page_location` for a PDF (`start_page_number` from 1),
 * `content_block_location` for a custom content document (`start_block_index`); `end` exclusive,
 * `cited_text` the sentence without its trailing white space, field order as the API writes it. The
 * parts join to the text exactly.
 *
 * @example
 * anthropicDocumentCitations('One. Two.', 'page');
 * // [{ text: 'One. ', citation: { type: 'page_location', cited_text: 'One.', document_index: 0, document_title: 'mock-document.pdf', start_page_number: 1, end_page_number: 2 } }, …]
 */
export function anthropicDocumentCitations(text: string, kind: AnthropicCitationKind): CitedPart[] {
  const parts = text.match(SENTENCE) ?? [];
  let at = 0;
  return parts.map((part, i) => {
    const length = Array.from(part).length;
    const cited_text = part.trimEnd();
    const citation =
      kind === 'char'
        ? { type: 'char_location', cited_text, document_index: 0, document_title: 'mock-document.txt', start_char_index: at, end_char_index: at + Array.from(cited_text).length }
        : kind === 'page'
          ? { type: 'page_location', cited_text, document_index: 0, document_title: 'mock-document.pdf', start_page_number: i + 1, end_page_number: i + 2 }
          : { type: 'content_block_location', cited_text, document_index: 0, document_title: null, start_block_index: i, end_block_index: i + 1 };
    at += length;
    return { text: part, citation };
  });
}

/** The kind a request's `x-mock-document-citations` header asks for, or `undefined` (none, or not a kind). */
export function citationKindOf(header: unknown): AnthropicCitationKind | undefined {
  return header === 'char' || header === 'page' || header === 'block' ? header : undefined;
}
