import type { FinishReason } from '../../lib/types/finishReason';

/**
 * Ollama's `done_reason` → `FinishReason`: `stop` → `stop`, `length` → `length`, `load` / `unload`
 * (a request that only loaded or unloaded a model) → `other`. Ollama has no tool-call reason: a
 * turn that made tool calls ends with `stop`, which becomes `tool_calls` when `madeToolCalls`.
 * A final line without `done_reason` (servers before it existed) is a natural stop.
 *
 * @example
 * mapOllamaDoneReason('stop', true); // 'tool_calls'
 * mapOllamaDoneReason('length');     // 'length'
 */
export function mapOllamaDoneReason(raw: string | null | undefined, madeToolCalls = false): FinishReason {
  switch (raw) {
    case undefined:
    case null:
    case '':
    case 'stop':
      return madeToolCalls ? 'tool_calls' : 'stop';
    case 'length':
      return 'length';
    case 'load':
    case 'unload':
      return 'other';
    default:
      return 'other';
  }
}
