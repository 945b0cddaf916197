/**
 * What the mock server refuses of a request's images and files, as the real APIs do (issue 17):
 * each checker gives the message of the first part its API would refuse, or `undefined` when every
 * part is well formed. The APIs' wordings are not all published; where a real one is not known the
 * message names the field as the API's own validation would (`docs/decisions.md`, Mock server).
 */

type Part = Record<string, unknown>;
const isRecord = (value: unknown): value is Part => typeof value === 'object' && value !== null && !Array.isArray(value);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const isBase64 = (value: unknown): boolean => typeof value === 'string' && value.length > 0 && value.length % 4 === 0 && BASE64.test(value);
const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+);base64,(.*)$/s;
/** An http(s) URL, or a `data:` URL with a media type and base64 bytes. */
const isImageURL = (value: unknown): boolean =>
  typeof value === 'string' && (/^https?:\/\/\S+$/.test(value) || (DATA_URL.test(value) && isBase64(DATA_URL.exec(value)![2])));

/** The parts of each message that has a list of them, with the message's role and index. */
function* partsOf(messages: unknown): Generator<{ role: unknown; at: string; part: unknown }> {
  if (!Array.isArray(messages)) return;
  for (const [i, message] of messages.entries()) {
    if (!isRecord(message) || !Array.isArray(message.content)) continue;
    for (const [j, part] of message.content.entries()) yield { role: message.role, at: `messages[${i}].content[${j}]`, part };
  }
}

/** Chat Completions (OpenAI, Azure, LM Studio, Perplexity): `text`, `image_url` (user turns only), `file`. */
export function refusedChatContent(body: Part): string | undefined {
  for (const { role, at, part } of partsOf(body.messages)) {
    if (!isRecord(part)) return `Invalid type for '${at}': expected an object.`;
    switch (part.type) {
      case 'text':
        if (typeof part.text !== 'string') return `Missing required parameter: '${at}.text'.`;
        break;
      case 'image_url': {
        if (role !== 'user') return `Invalid '${at}'. Image URLs are only allowed for messages with role 'user', but this message with role '${String(role)}' contains an image URL.`;
        const url = isRecord(part.image_url) ? part.image_url.url : undefined;
        if (!isImageURL(url)) return `Invalid '${at}.image_url.url': expected an http(s) URL or a base64 data URL.`;
        break;
      }
      case 'file': {
        if (role !== 'user') return `Invalid '${at}'. Files are only allowed for messages with role 'user'.`;
        const file = isRecord(part.file) ? part.file : {};
        if (file.file_id === undefined && !isImageURL(file.file_data)) return `Invalid '${at}.file': expected file_data (a base64 data URL) or file_id.`;
        if (file.file_data !== undefined && typeof file.filename !== 'string') return `Missing required parameter: '${at}.file.filename'.`;
        break;
      }
      default:
        return `Invalid value: '${String(part.type)}'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', 'audio', and 'file'.`;
    }
  }
  return undefined;
}

/** Mistral: `text`, `image_url` (a URL string), `document_url`. */
export function refusedMistralContent(body: Part): string | undefined {
  for (const { at, part } of partsOf(body.messages)) {
    if (!isRecord(part)) return `Invalid request: ${at} must be an object`;
    if (part.type === 'text' && typeof part.text === 'string') continue;
    if (part.type === 'image_url' && isImageURL(typeof part.image_url === 'string' ? part.image_url : isRecord(part.image_url) ? part.image_url.url : undefined)) continue;
    if (part.type === 'document_url' && typeof part.document_url === 'string' && /^https?:\/\//.test(part.document_url)) continue;
    return `Invalid request: ${at}: expected a text, image_url or document_url chunk`;
  }
  return undefined;
}

/** The Responses API: `input_text`, `input_image` (`image_url` or `file_id`), `input_file` (`file_data` + `filename`, `file_url` or `file_id`). */
export function refusedResponsesContent(body: Part): string | undefined {
  const items = Array.isArray(body.input) ? body.input : [];
  for (const [i, item] of items.entries()) {
    if (!isRecord(item) || !Array.isArray(item.content)) continue;
    for (const [j, part] of item.content.entries()) {
      const at = `input[${i}].content[${j}]`;
      if (!isRecord(part)) return `Invalid type for '${at}': expected an object.`;
      if (part.type === 'input_text' || part.type === 'output_text') continue;
      if (item.role !== 'user') return `Invalid '${at}': only input_text is allowed in ${String(item.role)} messages.`;
      if (part.type === 'input_image') {
        if (part.file_id === undefined && !isImageURL(part.image_url)) return `Invalid '${at}.image_url': expected an http(s) URL or a base64 data URL.`;
      } else if (part.type === 'input_file') {
        if (part.file_data !== undefined && typeof part.filename !== 'string') return `Missing required parameter: '${at}.filename'.`;
        if (part.file_id === undefined && part.file_url === undefined && !isImageURL(part.file_data)) return `Invalid '${at}': expected file_data, file_url or file_id.`;
      } else {
        return `Invalid value: '${String(part.type)}'. Supported values are: 'input_text', 'input_image', and 'input_file'.`;
      }
    }
  }
  return undefined;
}

/** Anthropic: `text`, `image` and `document` blocks with a `base64`, `url` (or, for a document, `text`) source. */
export function refusedAnthropicContent(body: Part): string | undefined {
  for (const { role, at, part } of partsOf(body.messages)) {
    if (!isRecord(part) || (part.type !== 'image' && part.type !== 'document')) continue;
    if (role !== 'user') return `${at}: ${String(part.type)} blocks are only allowed in user messages`;
    const source = isRecord(part.source) ? part.source : {};
    const ok =
      (source.type === 'base64' && typeof source.media_type === 'string' && isBase64(source.data) && (part.type === 'image' ? /^image\/(jpeg|png|gif|webp)$/.test(source.media_type) : source.media_type === 'application/pdf')) ||
      (source.type === 'url' && typeof source.url === 'string' && /^https?:\/\//.test(source.url)) ||
      (part.type === 'document' && source.type === 'text' && source.media_type === 'text/plain' && typeof source.data === 'string');
    if (!ok) return `${at}.source: Input does not match the expected shape.`;
  }
  return undefined;
}

/** Gemini: `inlineData` (`mimeType`, base64 `data`) and `fileData` (`mimeType`, `fileUri`) parts. */
export function refusedGeminiContent(body: Part): string | undefined {
  const contents = Array.isArray(body.contents) ? body.contents : [];
  for (const [i, content] of contents.entries()) {
    const parts = isRecord(content) && Array.isArray(content.parts) ? content.parts : [];
    for (const [j, part] of parts.entries()) {
      if (!isRecord(part)) continue;
      const at = `contents[${i}].parts[${j}]`;
      if (part.inlineData !== undefined) {
        const inline = isRecord(part.inlineData) ? part.inlineData : {};
        if (typeof inline.mimeType !== 'string' || inline.mimeType === '') return `* GenerateContentRequest.${at}.inline_data.mime_type: mime_type is required.\n`;
        if (!isBase64(inline.data)) return `Invalid value at '${at}.inline_data.data' (TYPE_BYTES), Base64 decoding failed`;
      }
      if (part.fileData !== undefined) {
        const file = isRecord(part.fileData) ? part.fileData : {};
        if (typeof file.fileUri !== 'string' || file.fileUri === '') return `* GenerateContentRequest.${at}.file_data.file_uri: file_uri is required.\n`;
        if (typeof file.mimeType !== 'string' || file.mimeType === '') return `* GenerateContentRequest.${at}.file_data.mime_type: mime_type is required.\n`;
      }
    }
  }
  return undefined;
}

/** Ollama: `images`, a list of base64 strings on a message. */
export function refusedOllamaContent(body: Part): string | undefined {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (const [i, message] of messages.entries()) {
    if (!isRecord(message) || message.images === undefined) continue;
    if (!Array.isArray(message.images) || !message.images.every(isBase64)) return `invalid message ${i}: images must be base64-encoded strings`;
  }
  return undefined;
}
