import * as t from 'io-ts';
import { isLeft } from '../codec/isLeft';
import { PositiveNumber } from '../codec/readable';

/**
 * The limits a stream gets when `timeout` does not name them: no stream waits forever.
 *
 * - `firstChunkMs: 600_000` (10 minutes), from the request to the first chunk: the default request
 *   timeout of the official OpenAI and Anthropic SDKs, and the longest a silent reasoning phase
 *   plausibly takes.
 * - `idleMs: 300_000` (5 minutes) without a byte, counted from the request on (so before the first
 *   byte the smaller of the two applies: a server that sends nothing at all fails after 5 minutes;
 *   keep-alive pings count as bytes).
 * - no `totalMs`: a long answer that keeps streaming is never cut.
 *
 * A given `timeout` replaces only the limits it names; `false` turns one limit off, `timeout: false`
 * all of them.
 *
 * @example
 * streamChat$('openai', messages);                              // { firstChunkMs: 600_000, idleMs: 300_000 }
 * streamChat$('openai', messages, { timeout: 30_000 });         // idle 30 s, first chunk still 10 min
 * streamChat$('openai', messages, { timeout: { idleMs: false } }); // no idle limit, first chunk 10 min
 * streamChat$('openai', messages, { timeout: false });          // no limit at all
 */
export const DEFAULT_TIMEOUT: Readonly<{ firstChunkMs: number; idleMs: number }> = Object.freeze({ firstChunkMs: 600_000, idleMs: 300_000 });

/** One limit: a positive number of ms, or `false` for none. */
const Limit = t.union([PositiveNumber, t.literal(false)]);
const LIMIT_NAMES: readonly string[] = ['firstChunkMs', 'idleMs', 'totalMs'];
const Limits = t.partial({ firstChunkMs: Limit, idleMs: Limit, totalMs: Limit }, 'an object { firstChunkMs?, idleMs?, totalMs? }');
type Limits = t.TypeOf<typeof Limits>;
const unknownKeys = (u: object) => Object.keys(u).filter((key) => !LIMIT_NAMES.includes(key));

/** What an unknown key of the object is checked against: a typo must not silently leave a default in place. */
const NoOtherKey = new t.Type<never, never, unknown>(`no other key (the limits are ${LIMIT_NAMES.join(', ')})`, (u): u is never => false, t.failure, t.identity);

/** `Limits`, refusing a key that is not a limit (each reported at its own path). */
const KnownLimits = new t.Type<Limits, Limits, unknown>(
  Limits.name,
  (u): u is Limits => Limits.is(u) && unknownKeys(u).length === 0,
  (u, c) => {
    const decoded = Limits.validate(u, c);
    if (isLeft(decoded)) return decoded;
    const unknown = unknownKeys(decoded.right);
    if (unknown.length === 0) return decoded;
    const value = (key: string) => (decoded.right as Record<string, unknown>)[key];
    return t.failures(unknown.map((key) => ({ value: value(key), context: [...c, { key, type: NoOtherKey, actual: value(key) }] })));
  },
  t.identity,
);

/**
 * How long a stream may take (`StreamChatOptions.timeout`). A number is the idle limit in ms (no
 * bytes for that long, counted from the request; keep-alive pings count as bytes). An object names
 * any of `firstChunkMs` (from the request to the first chunk), `idleMs` and `totalMs` (the whole
 * stream); each a positive number of ms or `false` for none. What is not named keeps its default
 * (`DEFAULT_TIMEOUT`); `false` turns every limit off.
 */
export const TimeoutConfig = t.union([PositiveNumber, t.literal(false), KnownLimits]);
export type TimeoutConfig = t.TypeOf<typeof TimeoutConfig>;

/** The limits a stream runs with, in ms; an absent one does not apply. */
export interface TimeoutLimits {
  firstChunkMs?: number;
  idleMs?: number;
  totalMs?: number;
}

/**
 * The limits for a `timeout` option: the defaults (`DEFAULT_TIMEOUT`) for every limit it does not
 * name, none for a limit set to `false`, none at all for `timeout: false`.
 *
 * @example
 * toTimeoutLimits(undefined);             // { firstChunkMs: 600_000, idleMs: 300_000 }
 * toTimeoutLimits(30_000);                // { firstChunkMs: 600_000, idleMs: 30_000 }
 * toTimeoutLimits({ totalMs: 60_000 });   // { firstChunkMs: 600_000, idleMs: 300_000, totalMs: 60_000 }
 * toTimeoutLimits({ idleMs: false });     // { firstChunkMs: 600_000 }
 * toTimeoutLimits(false);                 // {}
 */
export function toTimeoutLimits(timeout: TimeoutConfig | undefined): TimeoutLimits {
  if (timeout === false) return {};
  const given = timeout === undefined ? {} : typeof timeout === 'number' ? { idleMs: timeout } : timeout;
  const limits: TimeoutLimits = {};
  const firstChunkMs = given.firstChunkMs ?? DEFAULT_TIMEOUT.firstChunkMs;
  const idleMs = given.idleMs ?? DEFAULT_TIMEOUT.idleMs;
  if (firstChunkMs !== false) limits.firstChunkMs = firstChunkMs;
  if (idleMs !== false) limits.idleMs = idleMs;
  if (given.totalMs !== undefined && given.totalMs !== false) limits.totalMs = given.totalMs;
  return limits;
}
