import * as t from 'io-ts';
import type { ObservableInput } from 'rxjs';
import { fn } from '../codec/readable';
import type { ResponseInfo } from '../transport/httpRequest';
import type { Usage } from './usage';

/** What a rate limiter is asked about: one HTTP request to a provider. */
export interface RateLimitRequest {
  /** the provider id (`'openai'`, …) */
  provider: string;
}

/**
 * A gate in front of every HTTP request `streamChat$` sends (the first one and each recovery
 * attempt). `streamChat$` waits for `acquire` before it opens the connection, then tells the
 * limiter what the provider answered (its rate-limit headers) and how many tokens the answer used,
 * so a limiter shared by many processes (`sharedRateLimit` in `rxllm/redis`) can stay under the
 * provider's limits together.
 *
 * @example
 * // at most one request at a time in this process
 * let busy = Promise.resolve();
 * const oneAtATime: RateLimiter = { acquire: () => (busy = busy.then(() => new Promise((r) => setTimeout(r, 100)))) };
 * streamChat$('openai', messages, { rateLimiter: oneAtATime });
 */
export const RateLimiter = t.intersection(
  [
    t.type({
      /**
       * Waits until the request may start: the request starts at the first value or at completion.
       * An Observable is unsubscribed when the chat is (so the wait stops); an error ends the chat
       * with that error.
       */
      acquire: fn<(request: RateLimitRequest) => ObservableInput<unknown>>('a function (request) => ObservableInput'),
    }),
    t.partial({
      /** told when a response starts: its status and (redacted) headers, the rate-limit ones among them */
      onResponse: fn<(request: RateLimitRequest, info: ResponseInfo) => void>('a function (request, info) => void'),
      /** told when an attempt ends with the last usage it reported (input and output tokens) */
      onUsage: fn<(request: RateLimitRequest, usage: Usage) => void>('a function (request, usage) => void'),
    }),
  ],
  'a RateLimiter ({ acquire, onResponse?, onUsage? })',
);
export type RateLimiter = t.TypeOf<typeof RateLimiter>;
