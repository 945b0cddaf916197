/** The cloud providers the command line picks by their key, in this order. */
const BY_KEY: Array<[id: string, env: string]> = [
  ['openai', 'OPENAI_API_KEY'],
  ['anthropic', 'ANTHROPIC_API_KEY'],
  ['gemini', 'GEMINI_API_KEY'],
  ['mistral', 'MISTRAL_API_KEY'],
  ['perplexity', 'PERPLEXITY_API_KEY'],
];

/** The local servers it looks for, and a cheap URL that answers when one runs. */
const LOCAL: Array<[id: string, url: string]> = [
  ['ollama', 'http://127.0.0.1:11434/api/tags'],
  ['lmstudio', 'http://127.0.0.1:1234/v1/models'],
];

export interface ProviderChoice {
  id: string;
  /** why it was picked, for the line on stderr */
  reason: string;
}

/**
 * The provider to use when none is named: the first cloud provider whose key is set, else a local
 * Ollama or LM Studio that answers within `probeMs`, else none (the embedded mock server).
 * `RXLLM_LOCAL_PROBE=off` skips the local look-up.
 */
export async function chooseProvider(env: NodeJS.ProcessEnv, probeMs = 300, local: Array<[id: string, url: string]> = LOCAL): Promise<ProviderChoice | undefined> {
  for (const [id, name] of BY_KEY) if (env[name]) return { id, reason: `${name} is set` };
  if (env.RXLLM_LOCAL_PROBE === 'off') return undefined;
  const answers = await Promise.all(
    local.map(async ([id, url]) => {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(probeMs) });
        return response.ok ? id : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  const id = answers.find((a) => a !== undefined);
  return id ? { id, reason: `a local ${id} server answers` } : undefined;
}
