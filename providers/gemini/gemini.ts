import type { Provider } from '../../lib/provider';
import { buildGeminiRequest } from './buildGeminiRequest';
import { continueGeminiFrom } from './continueGeminiFrom';
import { createGeminiDecoder } from './createGeminiDecoder';
import { GeminiOptions } from './geminiOptions';

/**
 * Google Gemini (`POST {baseURL}/models/{model}:streamGenerateContent?alt=sse`, each event a whole
 * `GenerateContentResponse`). The key comes from `GOOGLE_API_KEY`, else `GEMINI_API_KEY` (as
 * @google/genai reads them, the first winning when both are set) when `apiKey` is not given, and is
 * sent in `x-goog-api-key`. Thought summaries stream as `reasoning` (`thinking: { includeThoughts:
 * true }`), safety blocks end with `content_filter`. A long answer split into `CONTINUATION` hops
 * arrives as one stream (each hop is the same request with the last `continuationToken`), and
 * recovery resumes from the last checkpoint token exactly.
 *
 * @example
 * streamChat$(gemini, [{ role: 'user', content: 'Why is the sky blue?' }], {
 *   model: 'gemini-2.5-flash',
 *   thinking: { includeThoughts: true },
 * }).subscribe((chunk) => process.stdout.write(chunk.content ?? ''));
 */
export const gemini: Provider<GeminiOptions> = {
  id: 'gemini',
  defaultBaseURL: 'https://generativelanguage.googleapis.com/v1beta',
  defaultModel: 'gemini-2.5-flash',
  // as @google/genai reads them: GOOGLE_API_KEY wins when both are set
  apiKeyEnv: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'],
  requiresApiKey: true,
  framing: 'sse',
  optionsCodec: GeminiOptions,
  buildRequest: buildGeminiRequest,
  continueFrom: continueGeminiFrom,
  createDecoder: createGeminiDecoder,
};
