import type { MockFault } from './mockFault';

/** One thing the server does while it writes a body: write bytes, wait, or close the connection. */
export type DeliveryStep = { write: Buffer } | { pause: number } | { close: true };

/** How a stream is paced: a wait before the first frame and between two frames, in ms. */
export interface Pacing {
  firstDelayMs: number;
  delayMs: number;
}

/**
 * The steps that write `frames` with `pacing`, and a byte fault at its byte: a `reset` closes the
 * connection once exactly `afterBytes` body bytes are out, a `stall` waits `ms` there — splitting
 * the frame that holds that byte, even inside a multi-byte character. A fault past the end of the
 * body happens after its last byte (a reset then still keeps the response from ending). A `cut`
 * closes the connection the same way after the last frame (`faultedFrames` has already ended the
 * frames at the cut).
 *
 * @example
 * deliverySteps(['data: a\n\n'], { firstDelayMs: 0, delayMs: 0 }, { kind: 'reset', afterBytes: 4 });
 * // [{ write: <'data'> }, { close: true }, { write: <': a\n\n'> }]
 */
export function deliverySteps(frames: readonly string[], pacing: Pacing, fault: MockFault | null): DeliveryStep[] {
  const steps: DeliveryStep[] = [];
  if (pacing.firstDelayMs > 0) steps.push({ pause: pacing.firstDelayMs });
  frames.forEach((frame, i) => {
    if (i > 0 && pacing.delayMs > 0) steps.push({ pause: pacing.delayMs });
    steps.push({ write: Buffer.from(frame) });
  });
  if (fault?.kind === 'reset') return insertAtByte(steps, fault.afterBytes, { close: true });
  if (fault?.kind === 'stall') return insertAtByte(steps, fault.afterBytes, { pause: fault.ms });
  if (fault?.kind === 'cut') steps.push({ close: true });
  return steps;
}

/** `steps` with `marker` at the first point where exactly `at` bytes have been written. */
function insertAtByte(steps: readonly DeliveryStep[], at: number, marker: DeliveryStep): DeliveryStep[] {
  const out: DeliveryStep[] = [];
  let written = 0;
  let placed = false;
  for (const step of steps) {
    if (!placed && written === at) {
      out.push(marker);
      placed = true;
    }
    if (!placed && 'write' in step && written + step.write.length > at) {
      const head = at - written;
      out.push({ write: step.write.subarray(0, head) }, marker, { write: step.write.subarray(head) });
      placed = true;
    } else {
      out.push(step);
    }
    if ('write' in step) written += step.write.length;
  }
  if (!placed) out.push(marker);
  return out;
}
