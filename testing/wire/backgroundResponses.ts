import type { FramedStream } from '../route';
import type { MemorySlot } from '../serverMemory';

/** A background response as the mock server keeps it, to stream it again and to cancel it. */
export interface KeptResponse {
  /**
   * its whole stream, clean, numbered as the request that created it numbered it: a fault breaks what
   * one request receives, not the response the server keeps (a `cut` too: the answer kept is whole)
   */
  stream: FramedStream;
  /** the response object as it stands: as its last event gives it, then `cancelled` once cancelled */
  object: Record<string, unknown>;
}

/**
 * What one mock server knows of the responses it created: the background ones, kept whole by id, and
 * the ids of the foreground ones it stored (`store` not false), which it refuses to cancel rather
 * than not knowing them.
 */
export interface BackgroundResponses {
  kept: Map<string, KeptResponse>;
  foreground: Set<string>;
  /** background responses created so far: numbers the next one's id */
  created: number;
}

/** The server memory's slot for its responses (see `ServerMemory`). */
export const BACKGROUND_RESPONSES: MemorySlot<BackgroundResponses> = {
  create: () => ({ kept: new Map(), foreground: new Set(), created: 0 }),
};

/** Digits of a background response's number: fixed, so that every response of one answer streams the same number of bytes. */
const NUMBER_WIDTH = 6;

/**
 * A new id for a background response whose foreground id would be `id`: the foreground id is a hash of
 * the conversation (the same question, the same response), but two background requests are two
 * responses, each streamed again and cancelled on its own, so each gets the server's next number,
 * at a fixed width as api.openai.com's ids have. Deterministic: the n-th background request to a
 * server gets number n.
 *
 * @example
 * backgroundId(responses, 'resp_mock1x2y'); // 'resp_mock1x2y_bg000001', then 'resp_mock1x2y_bg000002'
 */
export function backgroundId(responses: BackgroundResponses, id: string): string {
  responses.created += 1;
  return `${id}_bg${String(responses.created).padStart(NUMBER_WIDTH, '0')}`;
}
