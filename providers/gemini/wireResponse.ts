import * as t from 'io-ts';
import { nullable } from '../../lib/codec/readable';

/**
 * The Gemini `GenerateContentResponse`, as each `data:` event of `streamGenerateContent?alt=sse`
 * carries it, leniently: every field may be absent or null and unknown fields are kept. Only what
 * the decoder reads is described; `safetyRatings` and `promptFeedback` are passed on as they are.
 */
const count = nullable(t.number);

/** One piece of a Vertex streamed call's arguments (`streamFunctionCallArguments`). */
export const GeminiWirePartialArg = t.partial({
  jsonPath: nullable(t.string),
  stringValue: nullable(t.string),
  numberValue: nullable(t.number),
  boolValue: nullable(t.boolean),
  /** `"NULL_VALUE"` (js-genai's `PartialArg`): the value is JSON null */
  nullValue: t.unknown,
  willContinue: nullable(t.boolean),
});
export type GeminiWirePartialArg = t.TypeOf<typeof GeminiWirePartialArg>;

/**
 * A function call: complete (`name` + `args` object, `id` on Gemini 3), or a Vertex streamed one
 * (`{ name, willContinue }`, then `{ partialArgs }` pieces, then an empty `{}` that ends it).
 */
export const GeminiWireFunctionCall = t.partial({
  name: nullable(t.string),
  args: nullable(t.UnknownRecord),
  id: nullable(t.string),
  partialArgs: nullable(t.array(GeminiWirePartialArg)),
  willContinue: nullable(t.boolean),
});
export type GeminiWireFunctionCall = t.TypeOf<typeof GeminiWireFunctionCall>;

/** `{ text }`, `{ text, thought: true }`, `{ functionCall }`, each with an optional `thoughtSignature`. */
export const GeminiWirePart = t.partial({
  text: nullable(t.string),
  thought: nullable(t.boolean),
  thoughtSignature: nullable(t.string),
  functionCall: nullable(GeminiWireFunctionCall),
});
export type GeminiWirePart = t.TypeOf<typeof GeminiWirePart>;

/**
 * A quoted source: the Gemini API's `citationSources[]` (`uri`, `license`) and Vertex AI's
 * `citations[]` (also `title` and `publicationDate`), with the quoted range of the answer in UTF-8
 * bytes (`startIndex` absent when 0, as Google's JSON leaves zeros out).
 */
export const GeminiWireCitationSource = t.partial({
  uri: nullable(t.string),
  title: nullable(t.string),
  license: nullable(t.string),
  startIndex: count,
  endIndex: count,
  /** Vertex: a `google.type.Date`, `{ year, month?, day? }` */
  publicationDate: t.unknown,
});
export type GeminiWireCitationSource = t.TypeOf<typeof GeminiWireCitationSource>;

/** A grounding source: `web` (Google Search), `retrievedContext` (Vertex AI Search, RAG), `maps`, each `{ uri, title }`. */
const GeminiWireGroundingSource = nullable(t.partial({ uri: nullable(t.string), title: nullable(t.string) }));

export const GeminiWireGroundingChunk = t.partial({
  web: GeminiWireGroundingSource,
  retrievedContext: GeminiWireGroundingSource,
  maps: GeminiWireGroundingSource,
});
export type GeminiWireGroundingChunk = t.TypeOf<typeof GeminiWireGroundingChunk>;

/** A part of the answer (`segment`, UTF-8 byte offsets) and the grounding chunks that support it. */
export const GeminiWireGroundingSupport = t.partial({
  segment: nullable(t.partial({ partIndex: count, startIndex: count, endIndex: count, text: nullable(t.string) })),
  groundingChunkIndices: nullable(t.array(t.number)),
});
export type GeminiWireGroundingSupport = t.TypeOf<typeof GeminiWireGroundingSupport>;

/** `candidates[].groundingMetadata` (Google Search grounding): sources, supports, the queries run. */
export const GeminiWireGroundingMetadata = t.partial({
  groundingChunks: nullable(t.array(GeminiWireGroundingChunk)),
  groundingSupports: nullable(t.array(GeminiWireGroundingSupport)),
  webSearchQueries: nullable(t.array(t.string)),
});
export type GeminiWireGroundingMetadata = t.TypeOf<typeof GeminiWireGroundingMetadata>;

export const GeminiWireCandidate = t.partial({
  /** missing on a finish-only candidate (RECITATION), or `{ role }` without parts */
  content: nullable(t.partial({ role: nullable(t.string), parts: nullable(t.array(GeminiWirePart)) })),
  /** only on the last chunk of the candidate (`CONTINUATION`: a hop of a long answer ends, see `continuationToken`) */
  finishReason: nullable(t.string),
  /** an opaque token to resume from: with `CONTINUATION` the next hop's, without a finish reason a checkpoint's */
  continuationToken: nullable(t.string),
  finishMessage: nullable(t.string),
  index: count,
  safetyRatings: t.unknown,
  /** `citationSources` (Gemini API) or `citations` (Vertex AI) */
  citationMetadata: nullable(
    t.partial({ citationSources: nullable(t.array(GeminiWireCitationSource)), citations: nullable(t.array(GeminiWireCitationSource)) }),
  ),
  groundingMetadata: nullable(GeminiWireGroundingMetadata),
});
export type GeminiWireCandidate = t.TypeOf<typeof GeminiWireCandidate>;

/** A running snapshot in (almost) every chunk: replace, never sum. */
export const GeminiWireUsage = t.partial({
  promptTokenCount: count,
  candidatesTokenCount: count,
  totalTokenCount: count,
  thoughtsTokenCount: count,
  cachedContentTokenCount: count,
  toolUsePromptTokenCount: count,
});
export type GeminiWireUsage = t.TypeOf<typeof GeminiWireUsage>;

/** Present on a blocked prompt (then with `blockReason` and no candidates), sometimes with only ratings. */
export const GeminiWirePromptFeedback = t.partial({
  blockReason: nullable(t.string),
  blockReasonMessage: nullable(t.string),
  safetyRatings: t.unknown,
});
export type GeminiWirePromptFeedback = t.TypeOf<typeof GeminiWirePromptFeedback>;

export const GeminiWireResponse = t.partial({
  candidates: nullable(t.array(GeminiWireCandidate)),
  promptFeedback: nullable(GeminiWirePromptFeedback),
  usageMetadata: nullable(GeminiWireUsage),
  modelVersion: nullable(t.string),
  responseId: nullable(t.string),
  /** `{ code, status, message, details }`: an error inside a 200 stream */
  error: t.unknown,
});
export type GeminiWireResponse = t.TypeOf<typeof GeminiWireResponse>;
