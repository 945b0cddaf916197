import { isOptionalArrayOf, isOptionalBoolean, isOptionalNumber, isOptionalString, isRecord } from '../../lib/codec/wireChecks';

/**
 * `OllamaWireLine.is`, written out by hand for the hot path (installed with `specializeGuard` in
 * wireLine.ts): one plain property read per field instead of the compiled closures. It must accept
 * exactly what the codec accepts; spec/lib/specializedGuards.spec.ts checks that.
 */
export function isOllamaWireLine(u: unknown): boolean {
  return (
    isRecord(u) &&
    isOptionalString(u.model) &&
    (u.message === undefined || u.message === null || isOllamaWireMessage(u.message)) &&
    isOptionalBoolean(u.done) &&
    isOptionalString(u.done_reason) &&
    isOptionalNumber(u.total_duration) &&
    isOptionalNumber(u.load_duration) &&
    isOptionalNumber(u.prompt_eval_duration) &&
    isOptionalNumber(u.eval_duration) &&
    isOptionalNumber(u.prompt_eval_count) &&
    isOptionalNumber(u.eval_count)
  );
}

function isOllamaWireMessage(u: unknown): boolean {
  return (
    isRecord(u) &&
    isOptionalString(u.role) &&
    isOptionalString(u.content) &&
    isOptionalString(u.thinking) &&
    isOptionalArrayOf(u.tool_calls, isOllamaWireToolCall)
  );
}

function isOllamaWireToolCall(u: unknown): boolean {
  if (!isRecord(u) || !isOptionalString(u.id)) return false;
  const fn = u.function;
  return fn === undefined || fn === null || (isRecord(fn) && isOptionalNumber(fn.index) && isOptionalString(fn.name));
}
