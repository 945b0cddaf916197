import { ConfigError } from '../errors/configError';
import type { Provider } from '../provider';

/**
 * A variable of the environment as the official SDKs read one: trimmed, and blank is unset
 * (`process.env[name]?.trim() || undefined`). `undefined` where there is no `process.env` (a browser).
 */
export function readEnv(name: string): string | undefined {
  if (typeof process === 'undefined' || !process.env) return undefined;
  return process.env[name]?.trim() || undefined;
}

/** The names of `provider`'s API-key variables, in the order they are read. */
export const apiKeyEnvNames = (provider: Provider<any>): readonly string[] =>
  provider.apiKeyEnv === undefined ? [] : typeof provider.apiKeyEnv === 'string' ? [provider.apiKeyEnv] : provider.apiKeyEnv;

/** The API key from `provider`'s variables: the first one set wins (Gemini: `GOOGLE_API_KEY` over `GEMINI_API_KEY`, as @google/genai). */
export function envApiKey(provider: Provider<any>): string | undefined {
  for (const name of apiKeyEnvNames(provider)) {
    const value = readEnv(name);
    if (value) return value;
  }
  return undefined;
}

/**
 * The base URL from `provider`'s variable (`OPENAI_BASE_URL`, …), in rxllm's form; `undefined` when
 * it has none or it is not set. A value that does not make an http(s) URL is a `ConfigError` under
 * `baseURL`, naming the variable (its credentials, if any, not shown).
 *
 * @example
 * // OLLAMA_HOST=gpu-box:11500
 * envBaseURL(ollama); // 'http://gpu-box:11500'
 */
export function envBaseURL(provider: Provider<any>): string | undefined {
  const variable = provider.baseURLEnv;
  if (!variable) return undefined;
  const value = readEnv(variable.name);
  if (value === undefined) return undefined;
  let url: string | undefined;
  try {
    url = variable.toBaseURL ? variable.toBaseURL(value) : value;
    const protocol = new URL(url).protocol;
    if (protocol !== 'http:' && protocol !== 'https:') url = undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined) {
    throw new ConfigError('options', [
      { path: 'baseURL', expected: `an http(s) URL (baseURL not given, so ${variable.name} was read)`, got: JSON.stringify(value.replace(/\/\/[^/@]*@/, '//[REDACTED]@')) },
    ]);
  }
  return url;
}
