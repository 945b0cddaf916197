import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Observable } from 'rxjs';
import * as t from 'io-ts';
import { checkConfig } from '../lib/codec/checkConfig';
import { fn, NonEmptyString, refined } from '../lib/codec/readable';
import { refineObject } from '../lib/codec/refineObject';
import { render } from '../lib/codec/reportErrors';
import { RxllmError } from '../lib/errors/rxllmError';
import { exhaustedForMs, rateLimitHint } from '../lib/rateLimitHint';
import { retryAfterMs } from '../lib/transport/retryAfter';
import type { ResponseInfo } from '../lib/transport/httpRequest';
import type { RateLimiter } from '../lib/types/rateLimiter';
import type { Usage } from '../lib/types/usage';
import { evalScript, luaScript } from './evalScript';
import { failureReporter, redisMessage, withoutSecrets } from './redisFailure';
import { ACQUIRE_SCRIPT, BLOCK_SCRIPT, USAGE_SCRIPT } from './rateLimitScripts';

/** A whole number ≥ 1 (a limit). */
const WholeLimit = refined(t.number, 'a whole number ≥ 1', (n) => Number.isInteger(n) && n >= 1);

/**
 * The limits of a `sharedRateLimit` (at least one of `requestsPerMinute`, `tokensPerMinute`) and
 * its window. Every process sharing a key should pass the same values.
 *
 * @example
 * const config: SharedRateLimitConfig = { requestsPerMinute: 500, tokensPerMinute: 200_000 };
 */
export const SharedRateLimitConfig = t.partial(
  {
    /** requests admitted in any window (a minute unless `windowMs` says otherwise) */
    requestsPerMinute: WholeLimit,
    /**
     * tokens (input + output, as the answers reported them) in any window: a request waits while the
     * usage recorded in the window is at or above this. An answer's usage counts from when it ended.
     */
    tokensPerMinute: WholeLimit,
    /** the sliding window in ms (default 60,000) */
    windowMs: refined(t.number, 'a whole number of ms ≥ 1', (n) => Number.isInteger(n) && n >= 1),
    /**
     * the longest a waiting acquire sleeps before it asks Redis again (default 1000 ms); it asks
     * sooner when Redis says the wait is shorter
     */
    pollMs: refined(t.number, 'a number of ms ≥ 1', (n) => n >= 1),
    /**
     * told when a write nobody waits for fails: a block from a response's headers, a usage record,
     * the release of an admission whose chat went away. The chats go on. Default: one process
     * warning (`process.emitWarning`) per limiter.
     */
    onRecordError: fn<(error: Error) => void>('a function'),
  },
  '{ requestsPerMinute?, tokensPerMinute?, windowMs?, pollMs?, onRecordError? }',
);
export type SharedRateLimitConfig = t.TypeOf<typeof SharedRateLimitConfig>;

/** An ioredis client, checked by its `evalsha` (never rendered in an error: its options may hold a password). */
const isRedisClient = (u: unknown): u is Redis => typeof u === 'object' && u !== null && typeof (u as Partial<Redis>).evalsha === 'function';
const RedisClient = new t.Type<Redis, Redis, unknown>(
  'an ioredis client',
  isRedisClient,
  (u, c) => (isRedisClient(u) ? t.success(u) : t.failure(u, c, typeof u === 'object' && u !== null ? 'an object without evalsha' : render(u))),
  t.identity,
);

/** The arguments of `sharedRateLimit`, the client and the key beside the configuration's fields. */
const SharedRateLimitArguments = refineObject(
  t.intersection([t.type({ redis: RedisClient, key: NonEmptyString }), SharedRateLimitConfig]),
  (args) =>
    args.requestsPerMinute === undefined && args.tokensPerMinute === undefined
      ? { at: 'config', expected: 'a limit: requestsPerMinute and/or tokensPerMinute', got: 'neither' }
      : undefined,
);

const ACQUIRE = luaScript(ACQUIRE_SCRIPT);
const USAGE = luaScript(USAGE_SCRIPT);
const BLOCK = luaScript(BLOCK_SCRIPT);

/** setTimeout's longest delay; a longer wait is slept in steps */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** how long a 429 blocks when it does not say how long */
const DEFAULT_BLOCK_MS = 1000;

/**
 * A `RateLimiter` shared by every process that uses the same Redis and `key`: together they start
 * at most `requestsPerMinute` requests, and none while the answers of the window used
 * `tokensPerMinute` tokens or more, in any sliding window of `windowMs`. Give it to `streamChat$`
 * or `streamMany$` as `rateLimiter`; it gates every HTTP request, recovery attempts included.
 *
 * One atomic Lua script per attempt reads the Redis server's clock, drops what left the window, and
 * either admits the request (recording it) or answers how long to wait; `acquire` sleeps that long
 * and asks again, and stops (no timer left) when the chat is unsubscribed. The providers' own
 * headers feed it too: a response saying no requests or no tokens remain
 * (`x-ratelimit-remaining-requests: 0`, `x-ratelimit-remaining-tokens: 0`,
 * `anthropic-ratelimit-tokens-remaining: 0`, …) or a 429 blocks every process on the key until the
 * provider's reset (or `retry-after`). Every key expires after the window or the block.
 *
 * Use one key per provider account and the same limits in every process. When Redis fails, the
 * waiting chat fails with a retryable `RxllmError` naming the key (never the connection's password).
 *
 * ```
 * requestsPerMinute: 2, windowMs: 1000 — three processes ask at 0 ms
 * admitted:  a b ────────── c          (c at 1000 ms, when a leaves the window)
 * ```
 *
 * @param redis an ioredis client (commands only; it is not blocked)
 * @param key the limit's name; its keys are `key:requests`, `key:tokens` and `key:blocked` (on Redis
 *   Cluster put a hash tag in it, `{openai}:limit`, so they share a slot)
 * @param config the limits (at least one) and the window
 * @throws ConfigError when a limit or setting is not a whole number ≥ 1, or no limit is given
 *
 * @example
 * import { Redis } from 'ioredis';
 * import { streamMany$ } from 'rxllm';
 * import { sharedRateLimit } from 'rxllm/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL!);
 * const openaiLimit = sharedRateLimit(redis, 'rxllm:limit:openai', { requestsPerMinute: 500, tokensPerMinute: 200_000 });
 * streamMany$(jobs, { concurrency: 16, rateLimiter: openaiLimit }).subscribe(handle);
 */
export function sharedRateLimit(redis: Redis, key: string, config: SharedRateLimitConfig = {}): RateLimiter {
  const { requestsPerMinute, tokensPerMinute, windowMs = 60_000, pollMs = 1000, onRecordError } = checkConfig(
    SharedRateLimitArguments,
    { ...config, redis, key },
    'sharedRateLimit config',
  );

  const requestsKey = `${key}:requests`;
  const tokensKey = `${key}:tokens`;
  const blockedKey = `${key}:blocked`;
  const reportFailure = failureReporter(onRecordError);
  const report = (what: string, error: unknown) => reportFailure(new Error(`Shared rate limit '${key}': ${what} failed: ${redisMessage(error)}`));
  const block = (ms: number) => {
    evalScript(redis, BLOCK, [blockedKey], [Math.max(1, Math.ceil(ms))]).catch((error: unknown) => report('recording a block', error));
  };

  return {
    acquire: () =>
      new Observable<void>((subscriber) => {
        const member = randomUUID();
        let timer: ReturnType<typeof setTimeout> | undefined;
        let closed = false;
        const attempt = () => {
          timer = undefined;
          evalScript(redis, ACQUIRE, [requestsKey, tokensKey, blockedKey], [windowMs, requestsPerMinute ?? 0, tokensPerMinute ?? 0, member]).then(
            (reply) => {
              const wait = Number(reply);
              if (closed) {
                // admitted after the chat went away: give the slot back
                if (wait === 0 && requestsPerMinute !== undefined) redis.zrem(requestsKey, member).catch((error: unknown) => report('releasing an admission', error));
                return;
              }
              if (wait === 0) {
                subscriber.next();
                subscriber.complete();
                return;
              }
              timer = setTimeout(attempt, Math.min(wait, pollMs, MAX_TIMER_MS));
            },
            (error: unknown) => {
              if (closed) return;
              subscriber.error(new RxllmError(`Shared rate limit '${key}': Redis failed: ${redisMessage(error)}`, { retryable: true, cause: withoutSecrets(error) }));
            },
          );
        };
        attempt();
        return () => {
          closed = true;
          if (timer !== undefined) clearTimeout(timer);
          timer = undefined;
        };
      }),

    onResponse: (_request, info: ResponseInfo) => {
      const hint = rateLimitHint(info.headers);
      if (info.status === 429) return block(retryAfterMs(info.headers, undefined) ?? hint.resetMs ?? hint.tokensResetMs ?? DEFAULT_BLOCK_MS);
      const ms = exhaustedForMs(hint);
      if (ms !== undefined) block(ms);
    },

    onUsage: (_request, usage: Usage) => {
      if (tokensPerMinute === undefined) return;
      const tokens = Math.ceil(usage.totalTokens ?? (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0));
      if (!(tokens >= 1)) return;
      evalScript(redis, USAGE, [tokensKey], [windowMs, tokens, randomUUID()]).catch((error: unknown) => report('recording usage', error));
    },
  };
}

