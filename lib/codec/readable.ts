import * as t from 'io-ts';

/**
 * Small io-ts building blocks whose names read well in an error message:
 * `expected a positive number, got "soon"`.
 */

/** `T | null | undefined`: what a provider may send for a field it leaves empty. */
export const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null, t.undefined]);

const refined = <A>(base: t.Type<A, A, unknown>, name: string, ok: (a: A) => boolean) =>
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
export const HttpURL = refined(t.string, 'an http(s) URL', (s) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
});
export const Temperature = refined(t.number, 'a number from 0 to 2', (n) => n >= 0 && n <= 2);
export const AnyFunction = new t.Type<(...args: never[]) => unknown, (...args: never[]) => unknown, unknown>(
  'a function',
  (u): u is (...args: never[]) => unknown => typeof u === 'function',
  (u, c) => (typeof u === 'function' ? t.success(u as (...args: never[]) => unknown) : t.failure(u, c)),
  t.identity,
);
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
export const ObserverLike = new t.Type<{ next: (value: never) => void }, { next: (value: never) => void }, unknown>(
  'an Observer (an object with next())',
  isObserver,
  (u, c) => (isObserver(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
