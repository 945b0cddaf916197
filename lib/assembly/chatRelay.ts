import { concat, defer, of, Subscription, tap, throwError, type Observable } from 'rxjs';
import { respondWithEvents, type SseResponse } from '../../operators/respondWithEvents';
import { toServerSentEvents, type ServerSentEvent } from '../../operators/toServerSentEvents';
import type { CodecIssue } from '../codec/reportErrors';
import { ConfigError, isConfigError } from '../errors/configError';
import { isStreamNotFoundError, StreamNotFoundError } from '../errors/streamNotFoundError';
import type { Provider } from '../provider';
import { LAST_EVENT_ID_HEADER, RELAY_START_EVENT, RELAY_STREAM_HEADER, type RelayStart } from '../relayWire';
import type { ChatMessage } from '../types/chatMessage';
import type { Chunk } from '../types/chunk';
import type { ProviderId, ProviderOptionsOf } from './providerOptionsById';
import type { RelayStore } from '../relayStore';
import { streamChat$ } from './streamChat';
import type { StreamChatOptions } from './streamChatOptions';

/** The options a page may set through the relay unless the server lists others. */
export const DEFAULT_RELAY_ALLOW = ['temperature', 'maxTokens', 'tools'] as const;

export interface ChatRelayConfig<P extends ProviderId | Provider<any>> {
  /** the provider every request goes to (the page never chooses it) */
  provider: P;
  /** the server's options: the key, the base URL, the model, recovery, … — the page never sees them */
  options?: StreamChatOptions & ProviderOptionsOf<P>;
  /**
   * the option names a page's request may set (default `temperature`, `maxTokens`, `tools`); any other
   * is refused with a 400, so a page cannot choose the key, the base URL or headers unless they are listed
   */
  allow?: readonly string[];
  /** keeps each stream so that a dropped connection resumes after its last chunk (`memoryRelayStore`, `redisRelayStore`) */
  store?: RelayStore;
  /** the server's own log: every failure, refused requests included, with where it happened */
  onError?(error: unknown, context: { phase: 'request' | 'stream'; streamId?: string }): void;
  /** a new stream id (default `crypto.randomUUID()`) */
  streamId?(): string;
}

/** What the relay reads of an incoming request: Express's `req` fits, with `body` parsed as JSON. */
export interface RelayRequest {
  method?: string;
  headers?: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/** A Node or Express response the relay writes to. */
export interface RelayResponse extends SseResponse {
  end(text?: string): unknown;
}

export interface ChatRelay {
  /**
   * Answers one request on a Node or Express response: `POST` streams (or resumes) a chat as
   * server-sent events, `DELETE` cancels a kept stream. A request the relay refuses and a failure
   * before the first chunk are answered with their HTTP status and a JSON body; a failure after it
   * with an `error` event. Closing the connection ends the upstream stream unless a store keeps it.
   */
  handle(request: RelayRequest, response: RelayResponse): void;
  /** The events of one `POST` (for NestJS `@Sse()` and other frameworks): the start event, one per chunk, then `done` or `error`. */
  events$(request: RelayRequest): Observable<ServerSentEvent>;
}

const header = (request: RelayRequest, name: string): string | undefined => {
  const value = request.headers?.[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * A relay from pages to a provider: the server keeps the key and the provider's address, takes from
 * each request only the conversation and the options it allows, runs `streamChat$` and writes the
 * chunks as server-sent events, which `streamChat$('rxllm', messages, { baseURL })` reads back in
 * the page into the same `Observable<Chunk>`. The wire: `lib/relayWire.ts` and docs/browser.md.
 *
 * @example
 * const relay = createChatRelay({ provider: 'openai', options: { model: 'gpt-5-mini' }, onError: (e) => log.warn(e) });
 * app.post('/api/chat', express.json(), (req, res) => relay.handle(req, res));
 * app.delete('/api/chat', (req, res) => relay.handle(req, res));
 */
export function createChatRelay<P extends ProviderId | Provider<any>>(config: ChatRelayConfig<P>): ChatRelay {
  const allow = new Set<string>(config.allow ?? DEFAULT_RELAY_ALLOW);
  // a stream id is what lets a reconnect read the stream: it must not be guessable
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (!config.streamId && typeof crypto?.randomUUID !== 'function') {
    throw new ConfigError('relay config', [{ path: 'streamId', expected: 'a function that makes unguessable ids (this runtime has no crypto.randomUUID)', got: 'none' }]);
  }
  const newId = config.streamId ?? (() => crypto!.randomUUID!());
  /** the upstream streams this process runs for a store, by id: what a `DELETE` cancels */
  const running = new Map<string, Subscription>();
  const report = (error: unknown, phase: 'request' | 'stream', streamId?: string) => config.onError?.(error, streamId === undefined ? { phase } : { phase, streamId });

  /** the conversation and the page's options, or the `ConfigError` that refuses them (values never echoed) */
  const readBody = (body: unknown): { messages: ChatMessage[]; options: Record<string, unknown> } => {
    const given = (body ?? {}) as { messages?: unknown; options?: unknown };
    const issues: CodecIssue[] = [];
    if (typeof body !== 'object' || body === null || Array.isArray(body)) issues.push({ path: 'body', expected: 'a JSON object { messages, options }', got: typeof body });
    const options = given.options ?? {};
    if (typeof options !== 'object' || options === null || Array.isArray(options)) issues.push({ path: 'options', expected: 'an object', got: Array.isArray(options) ? 'an array' : typeof options });
    else {
      for (const name of Object.keys(options)) {
        if (!allow.has(name)) issues.push({ path: `options.${name}`, expected: `an option this server lets a page set (${[...allow].join(', ') || 'none'})`, got: 'a value (not shown)' });
      }
    }
    if (issues.length > 0) throw new ConfigError('relay request', issues);
    return { messages: given.messages as ChatMessage[], options: options as Record<string, unknown> };
  };

  /** a fresh stream: its chunks, kept by the store (running on without a reader) when there is one */
  const fresh$ = (request: RelayRequest, id: string): Observable<Chunk> =>
    defer(() => {
      const { messages, options } = readBody(request.body);
      const upstream$ = streamChat$(config.provider as ProviderId, messages, { ...(config.options as object), ...options } as StreamChatOptions).pipe(
        tap({ error: (error: unknown) => report(error, 'stream', id) }),
      );
      const { store } = config;
      if (!store) return upstream$;
      const subscription = upstream$.pipe(store.keep(id)).subscribe({ error: () => undefined, complete: () => running.delete(id) });
      subscription.add(() => running.delete(id));
      if (!subscription.closed) running.set(id, subscription);
      return store.replay$(id, -1);
    });

  /** the stream a request asks for — a fresh one, or a kept one from after the page's last chunk — and its id */
  const open = (request: RelayRequest): { id: string; chunks$: Observable<Chunk> } => {
    const resumeId = header(request, RELAY_STREAM_HEADER);
    const lastEventId = header(request, LAST_EVENT_ID_HEADER);
    if (resumeId === undefined || lastEventId === undefined) {
      const id = newId();
      return { id, chunks$: fresh$(request, id) };
    }
    const fromSeq = Number(lastEventId);
    const { store } = config;
    if (!store) return { id: resumeId, chunks$: throwError(() => new StreamNotFoundError({ streamId: resumeId, reason: 'unknown', detail: 'this relay keeps no streams' })) };
    if (!Number.isInteger(fromSeq) || fromSeq < -1) {
      return { id: resumeId, chunks$: throwError(() => new ConfigError('relay request', [{ path: LAST_EVENT_ID_HEADER, expected: 'the seq of the last chunk received', got: JSON.stringify(lastEventId) }])) };
    }
    return { id: resumeId, chunks$: store.replay$(resumeId, fromSeq) };
  };

  /** the start event of a stream: its id, and whether a dropped connection can pick it up again */
  const startOf = (id: string): ServerSentEvent => ({ type: RELAY_START_EVENT, data: { id, resumable: config.store !== undefined } satisfies RelayStart });
  /** a refused request (or an unknown stream) is the request's failure; the provider's are reported where they happen */
  const refused = (error: unknown, id: string) => {
    if (isConfigError(error) || isStreamNotFoundError(error)) report(error, 'request', id);
  };

  const cancel = (request: RelayRequest, response: RelayResponse) => {
    const id = header(request, RELAY_STREAM_HEADER);
    const subscription = id === undefined ? undefined : running.get(id);
    subscription?.unsubscribe();
    response.writeHead(subscription ? 204 : 404, {});
    response.end();
  };

  const handle = (request: RelayRequest, response: RelayResponse) => {
    if (request.method === 'DELETE') return cancel(request, response);
    const { id, chunks$ } = open(request);
    // the start event goes out with the first chunk, so that a failure before it still gets its HTTP status
    chunks$.pipe(respondWithEvents(response, (error) => refused(error, id), [startOf(id)])).subscribe();
  };

  const events$ = (request: RelayRequest): Observable<ServerSentEvent> =>
    defer(() => {
      const { id, chunks$ } = open(request);
      return concat(of(startOf(id)), chunks$.pipe(tap({ error: (error: unknown) => refused(error, id) }), toServerSentEvents()));
    });

  return { handle, events$ };
}
