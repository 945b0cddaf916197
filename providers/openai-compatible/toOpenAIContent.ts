import { dataURL, unsupportedPart } from '../../lib/errors/unsupportedPart';
import type { ContentPart } from '../../lib/types/contentPart';

/**
 * One content part as a Chat Completions server takes it, or `undefined` when it takes no such part.
 * A provider on the OpenAI-compatible base may give its own (Mistral: files by URL as `document_url`).
 */
export type OpenAIPartMapper = (part: ContentPart) => Record<string, unknown> | undefined;

/**
 * OpenAI's parts: text; an image as `image_url` (a URL, or inline bytes as a `data:` URL); a file
 * given inline as `file` with `file_data` (a `data:` URL) and `filename`. OpenAI takes no file by URL.
 *
 * @example
 * openaiPart({ type: 'image', data: 'iVBOR…', mediaType: 'image/png' }); // { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBOR…' } }
 */
export const openaiPart: OpenAIPartMapper = (part) => {
  if (part.type === 'text') return { type: 'text', text: part.text };
  if (part.type === 'image') return { type: 'image_url', image_url: { url: 'url' in part ? part.url : dataURL(part.mediaType, part.data) } };
  if ('data' in part) return { type: 'file', file: { file_data: dataURL(part.mediaType, part.data), filename: part.name ?? 'file' } };
  return undefined;
};

/** What `openaiPart` takes, for the error of a part it does not. */
export const OPENAI_PARTS = 'text, images by URL or as base64 data, files as base64 data';

/** A server that takes text and images only (Perplexity, LM Studio): OpenAI's parts without files. */
export const IMAGES_ONLY = { map: ((part) => (part.type === 'file' ? undefined : openaiPart(part))) as OpenAIPartMapper, takes: 'text, images by URL or as base64 data' };

/**
 * A message's content as the `content` of a Chat Completions message: a string as it is, parts
 * mapped one by one; a part the provider does not take is a `ConfigError` naming it.
 *
 * @example
 * toOpenAIContent([{ type: 'text', text: 'Hi' }], 'messages.0.content', 'openai', openaiPart, OPENAI_PARTS); // [{ type: 'text', text: 'Hi' }]
 */
export function toOpenAIContent(
  content: string | null | readonly ContentPart[],
  path: string,
  provider: string,
  mapPart: OpenAIPartMapper,
  takes: string,
): string | null | Record<string, unknown>[] {
  if (typeof content === 'string' || content === null) return content;
  return content.map((part, i) => {
    const wire = mapPart(part);
    if (wire === undefined) throw unsupportedPart(provider, `${path}.${i}`, part, takes);
    return wire;
  });
}
