/** One thing a route keeps on a server: how to make it the first time it is needed. */
export interface MemorySlot<T> {
  create(): T;
}

/**
 * What a mock server keeps from one request to the next, for the routes that need it (the Responses
 * API's background responses, which are streamed again and cancelled by later requests). Each server
 * has its own, so two servers — the lanes of a suite — share nothing; a route names what it keeps by
 * a slot of its own, and gets the same value on every request to that server.
 */
export interface ServerMemory {
  /** the value `slot` names on this server, made by `slot.create()` on first use */
  recall<T>(slot: MemorySlot<T>): T;
}

/**
 * A fresh memory, for one server.
 *
 * @example
 * const COUNTER: MemorySlot<{ n: number }> = { create: () => ({ n: 0 }) };
 * const memory = createServerMemory();
 * memory.recall(COUNTER).n++;
 * memory.recall(COUNTER).n; // 1
 */
export function createServerMemory(): ServerMemory {
  const values = new Map<MemorySlot<unknown>, unknown>();
  return {
    recall<T>(slot: MemorySlot<T>): T {
      if (!values.has(slot)) values.set(slot, slot.create());
      return values.get(slot) as T;
    },
  };
}
