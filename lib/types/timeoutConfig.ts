import * as t from 'io-ts';
import { PositiveNumber } from '../codec/readable';

/**
 * How long a stream may take. A number is the idle limit in ms (no bytes for that long — keep-alive
 * pings count as bytes). `firstChunkMs` runs from the request to the first chunk, `totalMs` over
 * the whole stream.
 */
export const TimeoutConfig = t.union([
  PositiveNumber,
  t.partial({ firstChunkMs: PositiveNumber, idleMs: PositiveNumber, totalMs: PositiveNumber }),
]);
export type TimeoutConfig = t.TypeOf<typeof TimeoutConfig>;

export interface TimeoutLimits {
  firstChunkMs?: number;
  idleMs?: number;
  totalMs?: number;
}

export const toTimeoutLimits = (timeout: TimeoutConfig | undefined): TimeoutLimits =>
  timeout === undefined ? {} : typeof timeout === 'number' ? { idleMs: timeout } : timeout;
