import type { MockFault } from '../testing/mockFault';
import { UsageError } from './usageError';

/**
 * What `--fault` asks the embedded mock server to do to the first answer (the requests after it,
 * a recovery's continuation among them, are answered clean):
 *
 * - `reset`: the connection drops halfway through the answer's text, after a whole frame (the
 *   mock's `cut` fault at half the text);
 * - `reset@<bytes>`: the connection drops after exactly that many body bytes, wherever they fall
 *   (inside a frame, inside a character: the mock's `reset` fault);
 * - `status@<code>`: the request is refused with that HTTP error status (400 to 599) before any
 *   text (a 429 or a 5xx is retried by `--recover`).
 */
export type FaultFlag = { kind: 'reset'; afterBytes?: number } | { kind: 'status'; status: number };

const FORMS = `reset, reset@<bytes> or status@<code>`;

/** Reads the value of `--fault`; throws a `UsageError` that names the forms it takes. */
export function readFaultFlag(value: string): FaultFlag {
  const [kind, at, ...rest] = value.split('@');
  if (rest.length === 0 && kind === 'reset') {
    if (at === undefined) return { kind: 'reset' };
    if (/^\d+$/.test(at)) return { kind: 'reset', afterBytes: Number(at) };
    throw new UsageError(`--fault reset@<bytes> needs a whole number of bytes, got '${value}'`);
  }
  if (rest.length === 0 && kind === 'status') {
    const status = Number(at);
    if (at !== undefined && /^\d+$/.test(at) && status >= 400 && status <= 599) return { kind: 'status', status };
    throw new UsageError(`--fault status@<code> needs an HTTP error status from 400 to 599, got '${value}'`);
  }
  throw new UsageError(`--fault takes ${FORMS}, got '${value}'`);
}

/** The mock server's fault for a flag, given the text the mock will answer (`answerFor(messages).text`). */
export function mockFaultFor(flag: FaultFlag, answerText: string): MockFault {
  if (flag.kind === 'status') return { kind: 'status', status: flag.status };
  if (flag.afterBytes !== undefined) return { kind: 'reset', afterBytes: flag.afterBytes };
  return { kind: 'cut', afterChars: Math.floor(answerText.length / 2) };
}
