import type { ContentPart } from '../types/contentPart';
import { ConfigError } from './configError';

/** A part as an error shows it: its kind and where its bytes are (never the bytes themselves). */
export function describePart(part: ContentPart): string {
  if (part.type === 'text') return 'a text part';
  const where = 'url' in part ? 'by URL' : 'as base64 data';
  return part.type === 'image' ? `an image ${where}` : `a file ${where} (${part.mediaType})`;
}

/**
 * The `ConfigError` of a content part that `provider` cannot take, at `path` of the messages, saying
 * what it takes instead; thrown by a request builder, so nothing is sent.
 *
 * @example
 * throw unsupportedPart('ollama', 'messages.1.content.0', { type: 'image', url: 'https://…' }, 'text, and images as base64 data');
 * // Invalid messages: messages.1.content.0: expected a part ollama takes (text, and images as base64 data), got an image by URL
 */
export function unsupportedPart(provider: string, path: string, part: ContentPart, takes: string): ConfigError {
  return new ConfigError('messages', [{ path, expected: `a part ${provider} takes (${takes})`, got: describePart(part) }]);
}

/** The `data:` URL of inline base64 bytes. */
export const dataURL = (mediaType: string, data: string): string => `data:${mediaType};base64,${data}`;
