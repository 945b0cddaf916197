import type { TimeoutLimits } from '../types/timeoutConfig';
import type { StreamTimeoutKind } from '../errors/streamTimeoutError';

export interface StreamTimers {
  /** bytes arrived: the idle clock starts again */
  activity(): void;
  /** the first chunk was emitted: the first-chunk limit no longer applies */
  firstChunk(): void;
  clear(): void;
}

/**
 * The three limits of a stream, on as few timers as possible: the idle check does not re-arm a
 * timer per read, it notes the time and, when its timer fires, re-arms for the remainder.
 */
export function startStreamTimers(limits: TimeoutLimits, onTimeout: (kind: StreamTimeoutKind, ms: number) => void): StreamTimers {
  const { firstChunkMs, idleMs, totalMs } = limits;
  let lastActivity = Date.now();
  let idle: ReturnType<typeof setTimeout> | undefined;
  let first: ReturnType<typeof setTimeout> | undefined;
  let total: ReturnType<typeof setTimeout> | undefined;

  const checkIdle = () => {
    const quiet = Date.now() - lastActivity;
    if (quiet >= idleMs!) {
      idle = undefined;
      onTimeout('idle', idleMs!);
    } else {
      idle = setTimeout(checkIdle, idleMs! - quiet);
    }
  };
  if (idleMs !== undefined) idle = setTimeout(checkIdle, idleMs);
  if (firstChunkMs !== undefined) first = setTimeout(() => ((first = undefined), onTimeout('first-chunk', firstChunkMs)), firstChunkMs);
  if (totalMs !== undefined) total = setTimeout(() => ((total = undefined), onTimeout('total', totalMs)), totalMs);

  return {
    activity() {
      if (idle !== undefined) lastActivity = Date.now();
    },
    firstChunk() {
      if (first !== undefined) {
        clearTimeout(first);
        first = undefined;
      }
    },
    clear() {
      if (idle !== undefined) clearTimeout(idle);
      if (first !== undefined) clearTimeout(first);
      if (total !== undefined) clearTimeout(total);
      idle = first = total = undefined;
    },
  };
}
