import * as t from 'io-ts';
import { Observable, throwError, type Subscription } from 'rxjs';
import { checkConfig } from '../codec/checkConfig';
import { fn, observer, PositiveInteger } from '../codec/readable';
import { render } from '../codec/reportErrors';
import { ConfigError } from '../errors/configError';
import { trackMetrics } from '../../operators/trackMetrics';
import { isAbortError } from '../errors/abortError';
import type { Provider } from '../provider';
import type { ResponseInfo } from '../transport/httpRequest';
import { exhaustedForMs, rateLimitHint } from '../rateLimitHint';
import type { ProviderId } from './providerOptionsById';
import { streamChat$ } from './streamChat';
import type { ChatMessage } from '../types/chatMessage';
import type { Chunk } from '../types/chunk';
import { RateLimiter } from '../types/rateLimiter';
import type { StreamChatOptions } from './streamChatOptions';
import type { StreamMetrics } from '../types/streamMetrics';

/** One chat of a batch. */
export interface ManyRequest {
  /** tags every event of this chat */
  id: string;
  provider: ProviderId | Provider<any>;
  messages: ChatMessage[];
  options?: StreamChatOptions;
}

/**
 * What `streamMany$` emits: a chunk of one chat, or the error that ended it (the others go on) — an
 * `AbortError` when the chat's own `signal` aborted it.
 */
export type ManyEvent = { requestId: string; chunk: Chunk } | { requestId: string; error: unknown };

/** Limits for one provider id. */
export const ProviderLimits = t.partial(
  {
    /** chats of this provider at once */
    maxConcurrent: PositiveInteger,
    /** chat starts per rolling minute */
    requestsPerMinute: PositiveInteger,
  },
  '{ maxConcurrent?, requestsPerMinute? }',
);
export type ProviderLimits = t.TypeOf<typeof ProviderLimits>;

/** The combined metrics of a batch. */
export interface ManyMetrics {
  total: number;
  queued: number;
  running: number;
  completed: number;
  failed: number;
  /** chats their own `signal` aborted (they end with an `AbortError` event, and are not counted in `failed`) */
  cancelled: number;
  chunksReceived: number;
  bytesReceived: number;
  outputTokens: number;
  /** the latest metrics of each chat that started */
  perRequest: Record<string, StreamMetrics>;
}

export const StreamManyConfig = t.partial(
  {
    /** chats at once over all providers (default 4) */
    concurrency: PositiveInteger,
    /** limits per provider id */
    perProvider: t.record(t.string, ProviderLimits),
    /** receives the combined metrics on every change of a chat's metrics */
    metrics$: observer<ManyMetrics>(),
    onMetrics: fn<(metrics: ManyMetrics) => void>('a function (metrics) => void'),
    /** the clock (default `Date.now`) */
    now: fn<() => number>('a function () => ms'),
    /** a gate before every request of every chat (e.g. `sharedRateLimit` from `rxllm/redis`, shared by many processes); a chat's own `options.rateLimiter` wins */
    rateLimiter: RateLimiter,
  },
  '{ concurrency?, perProvider?, metrics$?, onMetrics?, now?, rateLimiter? }',
);
export type StreamManyConfig = t.TypeOf<typeof StreamManyConfig>;

/**
 * Runs many chats with limits and emits their chunks tagged by request id. At most `concurrency`
 * run at once, and per provider at most `maxConcurrent`, started at most `requestsPerMinute` in any
 * minute; a response whose rate-limit headers say no requests or no tokens remain
 * (`x-ratelimit-remaining-*`, `anthropic-ratelimit-*`) holds back that provider's next start until
 * the window resets, before a 429 has to. A chat that fails emits `{ requestId, error }` and the others go on; the Observable
 * completes when all are done. A chat whose own `signal` (in its `options`) aborts ends the same way with
 * an `AbortError`, counted in `cancelled`, not `failed`. Unsubscribing cancels every running chat. A bad
 * configuration, or two requests with one id, errors the Observable with a `ConfigError` (as `streamChat$`
 * does; nothing throws) and no chat starts.
 *
 * @example
 * streamMany$(
 *   questions.map((q, i) => ({ id: `q${i}`, provider: 'openai', messages: [{ role: 'user', content: q }] })),
 *   { concurrency: 8, perProvider: { openai: { maxConcurrent: 4, requestsPerMinute: 60 } } },
 * ).subscribe((event) => ('chunk' in event ? append(event.requestId, event.chunk) : fail(event.requestId, event.error)));
 */
export function streamMany$(requests: readonly ManyRequest[], config: StreamManyConfig = {}): Observable<ManyEvent> {
  let checked: StreamManyConfig;
  try {
    checked = checkConfig(StreamManyConfig, config, 'streamMany$ config');
    const ids = new Map<string, number>();
    requests.forEach((r, i) => {
      const first = ids.get(r.id);
      if (first !== undefined) {
        throw new ConfigError('streamMany$ requests', [{ path: `${i}.id`, expected: `an id no other request has (request ${first} has it)`, got: render(r.id) }]);
      }
      ids.set(r.id, i);
    });
  } catch (error) {
    return throwError(() => error);
  }
  const { concurrency = 4, perProvider = {}, metrics$, onMetrics, now = Date.now, rateLimiter } = checked;
  const providerOf = (r: ManyRequest) => (typeof r.provider === 'string' ? r.provider : r.provider.id);

  return new Observable<ManyEvent>((subscriber) => {
    const queue = [...requests];
    const running = new Map<string, Subscription>();
    const runningPer = new Map<string, number>();
    const startsPer = new Map<string, number[]>();
    const blockedUntil = new Map<string, number>();
    const perRequest: Record<string, StreamMetrics> = {};
    let completed = 0;
    let failed = 0;
    let cancelled = 0;
    let wake: ReturnType<typeof setTimeout> | undefined;
    let closed = false;

    const report = () => {
      if (!metrics$ && !onMetrics) return;
      const all = Object.values(perRequest);
      const metrics: ManyMetrics = {
        total: requests.length,
        queued: queue.length,
        running: running.size,
        completed,
        failed,
        cancelled,
        chunksReceived: all.reduce((n, m) => n + m.chunksReceived, 0),
        bytesReceived: all.reduce((n, m) => n + m.bytesReceived, 0),
        outputTokens: all.reduce((n, m) => n + m.outputTokens, 0),
        perRequest: { ...perRequest },
      };
      onMetrics?.(metrics);
      metrics$?.next?.(metrics);
    };

    /** ms until `provider` may start another chat (0: now) */
    const waitFor = (provider: string, t: number): number => {
      const limits = perProvider[provider] ?? {};
      if (limits.maxConcurrent !== undefined && (runningPer.get(provider) ?? 0) >= limits.maxConcurrent) return Infinity;
      let wait = Math.max(0, (blockedUntil.get(provider) ?? 0) - t);
      if (limits.requestsPerMinute !== undefined) {
        const recent = (startsPer.get(provider) ?? []).filter((at) => t - at < 60_000);
        startsPer.set(provider, recent);
        if (recent.length >= limits.requestsPerMinute) wait = Math.max(wait, recent[0] + 60_000 - t);
      }
      return wait;
    };

    const pump = () => {
      if (closed) return;
      if (wake !== undefined) clearTimeout(wake);
      wake = undefined;
      let soonest = Infinity;
      const t = now();
      for (let i = 0; i < queue.length && running.size < concurrency; ) {
        const request = queue[i];
        const provider = providerOf(request);
        const wait = waitFor(provider, t);
        if (wait > 0) {
          soonest = Math.min(soonest, wait);
          i++;
          continue;
        }
        queue.splice(i, 1);
        start(request, provider, t);
      }
      if (queue.length === 0 && running.size === 0) {
        closed = true;
        report();
        subscriber.complete();
        return;
      }
      if (soonest !== Infinity && running.size < concurrency) wake = setTimeout(pump, soonest);
    };

    const start = (request: ManyRequest, provider: string, t: number) => {
      runningPer.set(provider, (runningPer.get(provider) ?? 0) + 1);
      startsPer.set(provider, [...(startsPer.get(provider) ?? []), t]);
      const options = request.options ?? {};
      const userOnResponse = options.onResponse;
      const finish = (outcome: 'completed' | 'failed' | 'cancelled') => {
        running.delete(request.id);
        runningPer.set(provider, (runningPer.get(provider) ?? 1) - 1);
        if (outcome === 'completed') completed++;
        else if (outcome === 'failed') failed++;
        else cancelled++;
        report();
        pump();
      };
      let stream$ = streamChat$(request.provider, request.messages, {
        ...options,
        ...(rateLimiter && !options.rateLimiter ? { rateLimiter } : {}),
        onResponse: (info: ResponseInfo) => {
          const hint = rateLimitHint(info.headers);
          const ms = exhaustedForMs(hint);
          if (ms !== undefined) blockedUntil.set(provider, Math.max(blockedUntil.get(provider) ?? 0, now() + ms));
          userOnResponse?.(info);
        },
      });
      stream$ = stream$.pipe(trackMetrics({ onMetrics: (m) => ((perRequest[request.id] = m), report()), intervalMs: 500 }));
      const subscription = stream$.subscribe({
        next: (chunk) => subscriber.next({ requestId: request.id, chunk }),
        error: (error) => {
          subscriber.next({ requestId: request.id, error });
          finish(isAbortError(error) ? 'cancelled' : 'failed');
        },
        complete: () => finish('completed'),
      });
      if (!subscription.closed) running.set(request.id, subscription);
    };

    pump();
    return () => {
      closed = true;
      if (wake !== undefined) clearTimeout(wake);
      for (const subscription of running.values()) subscription.unsubscribe();
      running.clear();
    };
  });
}
