import * as t from 'io-ts';
import { NonEmptyString } from '../codec/readable';

/** Text, as a part of a message's content. */
export const TextPart = t.type({ type: t.literal('text'), text: t.string }, 'TextPart');
export type TextPart = t.TypeOf<typeof TextPart>;

/** Where the bytes of an image or a file are: at a URL, or inline as base64 with their media type. */
const ByURL = t.type({ url: NonEmptyString });
const Inline = t.type({ data: NonEmptyString, mediaType: NonEmptyString });

/**
 * An image: by URL (`https://…`, or a `data:` URL; its `mediaType` too where the provider needs it —
 * Gemini does) or inline base64 `data` with its `mediaType` (`image/png`, `image/jpeg`, `image/webp`,
 * `image/gif`).
 *
 * @example
 * const screenshot: ImagePart = { type: 'image', data: readFileSync('shot.png').toString('base64'), mediaType: 'image/png' };
 */
export const ImagePart = t.intersection(
  [t.type({ type: t.literal('image') }), t.union([Inline, t.intersection([ByURL, t.partial({ mediaType: NonEmptyString })])])],
  'ImagePart',
);
export type ImagePart = t.TypeOf<typeof ImagePart>;

/**
 * A file or document (a PDF, a text file): inline base64 `data` or a `url`, its `mediaType`, and
 * optionally the `name` it is shown by.
 *
 * @example
 * const report: FilePart = { type: 'file', data: pdf.toString('base64'), mediaType: 'application/pdf', name: 'report.pdf' };
 */
export const FilePart = t.intersection(
  [t.type({ type: t.literal('file'), mediaType: NonEmptyString }), t.union([t.type({ data: NonEmptyString }), ByURL]), t.partial({ name: t.string })],
  'FilePart',
);
export type FilePart = t.TypeOf<typeof FilePart>;

/** One part of a user message's content: text, an image, or a file. */
export const ContentPart = t.union([TextPart, ImagePart, FilePart], 'a text, image or file part');
export type ContentPart = t.TypeOf<typeof ContentPart>;
