import { concat, defer, of, Subscription, tap, throwError, type Observable } from 'rxjs';
import { formatServerSentEvent } from '../../operators/formatServerSentEvent';
import type { SseResponse } from '../../operators/pipeToResponse';
import { toServerSentEvents, type ServerSentEvent } from '../../operators/toServerSentEvents';
import type { CodecIssue } from '../codec/reportErrors';
import { ConfigError, isConfigError } from '../errors/configError';
import { publicErrorFields } from '../errors/publicErrorFields';
import { StreamNotFoundError } from '../errors/streamNotFoundError';
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

/** The HTTP status of a failure before the stream started: the request's fault, the provider's own answer, or a bad gateway. */
function statusOf(error: unknown): number {
  if (isConfigError(error)) return 400;
  if (error instanceof StreamNotFoundError) return 404;
  const { status } = publicErrorFields(error);
  return status !== undefined && status >= 400 && status < 600 ? status : 502;
}

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

  /** a stream's events: the start event (its id, whether it resumes), then `toServerSentEvents`'; `failed` sees the error itself */
  const eventsOf = (request: RelayRequest, failed: (error: unknown) => void): Observable<ServerSentEvent> =>
    defer(() => {
      const { id, chunks$ } = open(request);
      const start: ServerSentEvent = { type: RELAY_START_EVENT, data: { id, resumable: config.store !== undefined } satisfies RelayStart };
      const refused = (error: unknown) => {
        if (isConfigError(error) || error instanceof StreamNotFoundError) report(error, 'request', id);
        failed(error);
      };
      return concat(of(start), chunks$.pipe(tap({ error: refused }), toServerSentEvents()));
    });

  const cancel = (request: RelayRequest, response: RelayResponse) => {
    const id = header(request, RELAY_STREAM_HEADER);
    const subscription = id === undefined ? undefined : running.get(id);
    subscription?.unsubscribe();
    response.writeHead(subscription ? 204 : 404, {});
    response.end();
  };

  const handle = (request: RelayRequest, response: RelayResponse) => {
    if (request.method === 'DELETE') return cancel(request, response);
    let failure: unknown;
    let start: ServerSentEvent | undefined;
    let streaming = false;
    // the start event waits for the first chunk, so that a failure before it still gets its HTTP status
    const subscription = eventsOf(request, (error) => (failure = error)).subscribe((event) => {
      if (response.writableEnded) return;
      if (event.type === RELAY_START_EVENT) return void (start = event);
      if (!streaming && event.type === 'error') {
        // a refused request names its paths (the page's own; no value is echoed)
        const body = isConfigError(failure) ? { ...publicErrorFields(failure), issues: failure.issues } : event.data;
        response.writeHead(statusOf(failure), { 'content-type': 'application/json; charset=utf-8' });
        return void response.end(JSON.stringify({ error: body }));
      }
      if (!streaming) {
        streaming = true;
        response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
        if (start) response.write(formatServerSentEvent(start));
      }
      response.write(formatServerSentEvent(event));
      if (event.type === 'done' || event.type === 'error') response.end();
    });
    const onClose = () => subscription.unsubscribe();
    if (!subscription.closed) response.on('close', onClose);
  };

  const events$ = (request: RelayRequest) => eventsOf(request, () => undefined);

  return { handle, events$ };
}
