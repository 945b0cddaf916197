import * as t from 'io-ts';
import type { PartialObserver, SchedulerLike } from 'rxjs';
import { absoluteHttpURL } from '../pageAddress';

/**
 * Small io-ts building blocks whose names read well in an error message:
 * `expected a positive number, got "soon"`.
 */

/** `T | null | undefined`: what a provider may send for a field it leaves empty. */
export const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null, t.undefined]);

/**
 * A codec of the values of `base` that also pass `ok`, named for what it expects: the name is the
 * `expected` of the issue a failing value gets (`a positive integer`).
 *
 * @example
 * const Port = refined(t.number, 'a port number (1 to 65535)', (n) => Number.isInteger(n) && n >= 1 && n <= 65535);
 */
export const refined = <A>(base: t.Type<A, A, unknown>, name: string, ok: (a: A) => boolean) =>
  new t.Type<A, A, unknown>(
    name,
    (u): u is A => base.is(u) && ok(u),
    (u, c) => (base.is(u) && ok(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  );

export const PositiveNumber = refined(t.number, 'a positive number', (n) => n > 0 && Number.isFinite(n));
export const NonNegativeNumber = refined(t.number, 'a number ≥ 0', (n) => n >= 0 && Number.isFinite(n));
export const NonNegativeInteger = refined(t.number, 'a whole number ≥ 0', (n) => Number.isInteger(n) && n >= 0);
export const PositiveInteger = refined(t.number, 'a positive integer', (n) => Number.isInteger(n) && n > 0);
export const NonEmptyString = refined(t.string, 'a non-empty string', (s) => s.length > 0);
/**
 * An absolute http(s) URL, or in a browser page a relative one (`/api/llm/v1`), which `streamChat$`
 * resolves against the page; outside a page a relative URL has nothing to resolve against, and the
 * issue says so.
 */
export const HttpURL = refined(t.string, 'an http(s) URL (a relative one only in a browser page, which resolves it)', (s) => absoluteHttpURL(s) !== undefined);
export const Temperature = refined(t.number, 'a number from 0 to 2', (n) => n >= 0 && n <= 2);
/**
 * A function of type `F`, checked as `typeof === 'function'` (a function's parameters cannot be
 * checked before it is called), named for what it should be: the `expected` of its issue says how
 * it is called (`a function (chunk) => Chunk | null`). So an option that is a callback is described
 * by its codec like any other, with its own type.
 *
 * @example
 * const Transform = fn<(chunk: Chunk) => Chunk | null>('a function (chunk) => Chunk | null');
 * type Transform = t.TypeOf<typeof Transform>; // (chunk: Chunk) => Chunk | null
 */
export const fn = <F extends (...args: never[]) => unknown>(expected: string): t.Type<F, F, unknown> =>
  new t.Type<F, F, unknown>(
    expected,
    (u): u is F => typeof u === 'function',
    (u, c) => (typeof u === 'function' ? t.success(u as F) : t.failure(u, c)),
    t.identity,
  );

export const AnyFunction = fn<(...args: never[]) => unknown>('a function');
/** An AbortSignal, checked by shape so that signals of another realm (a browser frame, undici) pass. */
const isAbortSignal = (u: unknown): u is AbortSignal =>
  typeof u === 'object' && u !== null && typeof (u as AbortSignal).aborted === 'boolean' &&
  typeof (u as AbortSignal).addEventListener === 'function';
export const AbortSignalLike = new t.Type<AbortSignal, AbortSignal, unknown>(
  'an AbortSignal',
  isAbortSignal,
  (u, c) => (isAbortSignal(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** An Observer: an object with a `next` function (a Subject, or `{ next, error, complete }`). */
const isObserver = (u: unknown): u is { next: (value: never) => void } =>
  typeof u === 'object' && u !== null && typeof (u as { next?: unknown }).next === 'function';

/**
 * An Observer of `T` values, checked by shape (an object with `next()`), typed `PartialObserver<T>`.
 *
 * @example
 * const Metrics$ = observer<StreamMetrics>(); // t.Type<PartialObserver<StreamMetrics>>
 */
export const observer = <T>(): t.Type<PartialObserver<T>, PartialObserver<T>, unknown> =>
  new t.Type<PartialObserver<T>, PartialObserver<T>, unknown>(
    'an Observer (an object with next())',
    (u): u is PartialObserver<T> => isObserver(u),
    (u, c) => (isObserver(u) ? t.success(u as PartialObserver<T>) : t.failure(u, c)),
    t.identity,
  );

/** An RxJS scheduler (an object with `now()` and `schedule()`): `asyncScheduler`, a `TestScheduler`. */
const isScheduler = (u: unknown): u is SchedulerLike =>
  typeof u === 'object' && u !== null && typeof (u as SchedulerLike).now === 'function' && typeof (u as SchedulerLike).schedule === 'function';
export const Scheduler = new t.Type<SchedulerLike, SchedulerLike, unknown>(
  'a SchedulerLike (with now() and schedule())',
  isScheduler,
  (u, c) => (isScheduler(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/**
 * A Node `http.Agent` (or `https.Agent`, or an agent of agent-base, hpagent, proxy-agent), checked by
 * shape: an object with `addRequest()`, which `http.request` calls. An undici `Agent` (a fetch
 * dispatcher) has none and is refused: it belongs to a `fetch`.
 */
const isHttpAgent = (u: unknown): u is object => typeof u === 'object' && u !== null && typeof (u as { addRequest?: unknown }).addRequest === 'function';
export const HttpAgentLike = new t.Type<object, object, unknown>(
  'an http.Agent (an object with addRequest())',
  isHttpAgent,
  // never rendered: an agent holds sockets, and maybe a proxy's credentials
  (u, c) => (isHttpAgent(u) ? t.success(u) : t.failure(u, c, typeof u === 'object' && u !== null ? 'an object without addRequest()' : undefined)),
  t.identity,
);

/** The URL of an HTTP proxy: `http://` or `https://` (the proxy spoken to over TLS), credentials allowed. */
export const ProxyURL = refined(t.string, 'a proxy URL (http:// or https://)', (s) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
});
