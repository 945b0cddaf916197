import { dataURL } from '../../lib/errors/unsupportedPart';
import type { OpenAIPartMapper } from '../openai-compatible/toOpenAIContent';

/**
 * Mistral's content parts: text; an image as `image_url` (the URL, or inline bytes as a `data:` URL,
 * given as a string); a file by URL as `document_url` (Mistral reads documents from a URL; it takes
 * no inline file).
 *
 * @example
 * mistralPart({ type: 'file', url: 'https://arxiv.org/pdf/1805.04770', mediaType: 'application/pdf', name: 'paper.pdf' });
 * // { type: 'document_url', document_url: 'https://arxiv.org/pdf/1805.04770', document_name: 'paper.pdf' }
 */
export const mistralPart: OpenAIPartMapper = (part) => {
  if (part.type === 'text') return { type: 'text', text: part.text };
  if (part.type === 'image') return { type: 'image_url', image_url: 'url' in part ? part.url : dataURL(part.mediaType, part.data) };
  if (!('url' in part)) return undefined;
  const wire: Record<string, unknown> = { type: 'document_url', document_url: part.url };
  if (part.name !== undefined) wire.document_name = part.name;
  return wire;
};

/** What `mistralPart` takes, for the error of a part it does not. */
export const MISTRAL_PARTS = 'text, images by URL or as base64 data, files by URL';
