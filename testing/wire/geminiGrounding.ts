import { hashText } from '../mockModel';

/**
 * The `groundingMetadata` Gemini sends with an answer grounded by Google Search (`tools: [{
 * googleSearch: {} }]`), written from the API reference and a recorded grounded stream, independently
 * of the client's parser: `groundingChunks[].web { uri, title }` (redirect URLs, the site as title),
 * one `groundingSupports[]` entry per sentence of `text`, its `segment` in **UTF-8 bytes** of the
 * whole text streamed (`startIndex` left out when 0, as Google's JSON leaves zeros out) with the
 * sentence as `segment.text`, citing one or two of the sources in turn, `webSearchQueries` and a
 * `searchEntryPoint`. It comes on the last event of the answer.
 *
 * @example
 * geminiGrounding('Bern is the capital. It has 140 000 people.', 2, 'capital of Switzerland').groundingSupports[1].segment;
 * // { startIndex: 21, endIndex: 43, text: 'It has 140 000 people.' }
 */
export function geminiGrounding(text: string, sources: number, query: string): Record<string, unknown> {
  const seed = hashText(`${query}\n${text}`).toString(36);
  const groundingChunks = Array.from({ length: sources }, (_, i) => ({
    web: { uri: `https://vertexaisearch.cloud.google.com/grounding-api-redirect/mock-${seed}-${i}`, title: `source-${i + 1}.example` },
  }));
  const groundingSupports: Array<Record<string, unknown>> = [];
  const sentence = /[^\s][^]*?(?:[.!?。！？](?=\s|$)|$)/gu;
  let n = 0;
  for (let m = sentence.exec(text); m && m[0] !== ''; m = sentence.exec(text)) {
    const start = Buffer.byteLength(text.slice(0, m.index), 'utf8');
    const segment: Record<string, unknown> = { endIndex: start + Buffer.byteLength(m[0], 'utf8'), text: m[0] };
    if (start > 0) segment.startIndex = start;
    const cited = n % 3 === 2 && sources > 1 ? [n % sources, (n + 1) % sources] : [n % sources];
    groundingSupports.push({ segment, groundingChunkIndices: cited });
    n += 1;
  }
  return {
    searchEntryPoint: { renderedContent: `<div class="container"><a class="chip" href="https://www.google.com/search?q=${encodeURIComponent(query)}">${escapeHtml(query)}</a></div>` },
    groundingChunks,
    groundingSupports,
    webSearchQueries: [query],
  };
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
