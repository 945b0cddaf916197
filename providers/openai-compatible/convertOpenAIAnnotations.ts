import type { Citation } from '../../lib/types/citation';

/**
 * OpenAI's message annotations → `Citation`s: each `url_citation` `{ url, title, start_index,
 * end_index }` becomes `{ url, title, span }`, the span's offsets turned into string indices by
 * `toIndex` (the API counts characters, see `CodePointOffsets`). Annotations of other types, and
 * entries without a URL, are skipped.
 *
 * @example
 * convertOpenAIAnnotations([{ type: 'url_citation', url_citation: { url: 'https://a.example', title: 'A', start_index: 4, end_index: 9 } }], (i) => i);
 * // [{ url: 'https://a.example', title: 'A', span: { start: 4, end: 9 } }]
 */
export function convertOpenAIAnnotations(annotations: readonly unknown[], toIndex: (offset: number) => number): Citation[] {
  const citations: Citation[] = [];
  for (const annotation of annotations) {
    if (!annotation || typeof annotation !== 'object') continue;
    const { type, url_citation: cited } = annotation as { type?: unknown; url_citation?: unknown };
    if (type !== 'url_citation' || !cited || typeof cited !== 'object') continue;
    const { url, title, start_index: start, end_index: end } = cited as Record<string, unknown>;
    if (typeof url !== 'string' || url === '') continue;
    const citation: Citation = { url };
    if (typeof title === 'string' && title !== '') citation.title = title;
    if (isOffset(start) && isOffset(end) && end >= start) citation.span = { start: toIndex(start), end: toIndex(end) };
    citations.push(citation);
  }
  return citations;
}

const isOffset = (u: unknown): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0;
