import { mockBaseURL, startMockServer } from '../../testing';

/** What every example takes: where to send requests, and where to print. */
export interface ExampleOptions {
  /** one URL for every provider, or one per provider id; absent: an embedded mock server answers */
  baseURL?: Record<string, string> | string;
  /** receives the example's output, piece by piece (default: nothing is printed) */
  log?: (line: string) => void;
}

/**
 * The base URL for `provider`: the one given, else the embedded mock server's (started on first
 * use). `close()` stops that server, if one was started. Against a real API, pass its URL and set
 * the provider's key (`OPENAI_API_KEY`, …).
 *
 * @example
 * const servers = exampleServer(options);
 * streamChat$('openai', messages, { baseURL: await servers.baseURL('openai') });
 * await servers.close();
 */
export function exampleServer(options: ExampleOptions) {
  let server: ReturnType<typeof startMockServer> | undefined;
  return {
    async baseURL(provider: string): Promise<string> {
      const given = typeof options.baseURL === 'string' ? options.baseURL : options.baseURL?.[provider];
      if (given) return given;
      server ??= startMockServer({ chunkDelayMs: 5 });
      return mockBaseURL(await server, provider);
    },
    close: async () => (await server)?.close(),
  };
}
