import type { Provider } from '../../lib/provider';
import { buildOllamaRequest } from './buildOllamaRequest';
import { createOllamaDecoder } from './createOllamaDecoder';
import { ollamaHostBaseURL } from './ollamaHostBaseURL';
import { OllamaOptions } from './ollamaOptions';

/**
 * Ollama's native chat API (`POST {baseURL}/api/chat`, NDJSON), local by default at
 * `http://localhost:11434`, or where `OLLAMA_HOST` says (`host:port`, as the Ollama CLI reads it;
 * see `ollamaHostBaseURL`) when `baseURL` is not given; no API key needed (hosted Ollama: `apiKey` or `OLLAMA_API_KEY`, sent as
 * a Bearer token). Thinking streams as `reasoning`; the final chunk carries the usage
 * (`prompt_eval_count`, `eval_count`) and the server's timings in `metadata` (`totalDurationNs`,
 * `loadDurationNs`, `promptEvalDurationNs`, `evalDurationNs`, `tokensPerSecond`).
 *
 * Provider options: `think`, `keepAlive`, `format`, `ollamaOptions` (see `OllamaOptions`).
 *
 * @example
 * streamChat$(ollama, [{ role: 'user', content: 'Why is the sky blue?' }], { model: 'qwen3', think: true })
 *   .subscribe((chunk) => chunk.content && process.stdout.write(chunk.content));
 */
export const ollama: Provider<OllamaOptions> = {
  id: 'ollama',
  defaultBaseURL: 'http://localhost:11434',
  defaultModel: 'llama3.2',
  apiKeyEnv: 'OLLAMA_API_KEY',
  baseURLEnv: { name: 'OLLAMA_HOST', toBaseURL: ollamaHostBaseURL },
  requiresApiKey: false,
  framing: 'ndjson',
  optionsCodec: OllamaOptions,
  buildRequest: buildOllamaRequest,
  createDecoder: createOllamaDecoder,
};

// The public names of this entry, listed in spec/packaging/publicNames.spec.ts: what a user passes,
// reads or composes. The wire codecs, mappers and request builders stay internal (see docs/decisions.md).
export { OllamaOptions } from './ollamaOptions';
export type { OllamaTimingMetadata } from './ollamaTimingMetadata';
