import { isOptionalArrayOf, isOptionalNumber, isOptionalString, isRecord } from '../../lib/codec/wireChecks';

/**
 * `OpenAIWireChunk.is`, written out by hand for the hot path (installed with `specializeGuard` in
 * wireChunk.ts): one plain property read per field instead of the compiled closures. It must
 * accept exactly what the codec accepts; spec/lib/specializedGuards.spec.ts checks that.
 */
export function isOpenAIWireChunk(u: unknown): boolean {
  return (
    isRecord(u) &&
    isOptionalString(u.id) &&
    isOptionalString(u.model) &&
    isOptionalArrayOf(u.choices, isOpenAIWireChoice) &&
    (u.usage === undefined || u.usage === null || isOpenAIWireUsage(u.usage))
  );
}

function isOpenAIWireChoice(u: unknown): boolean {
  return isRecord(u) && isOptionalNumber(u.index) && isOptionalString(u.finish_reason) && (u.delta === undefined || u.delta === null || isOpenAIWireDelta(u.delta));
}

function isOpenAIWireDelta(u: unknown): boolean {
  if (!isRecord(u)) return false;
  const content = u.content;
  return (
    (content === undefined || content === null || typeof content === 'string' || Array.isArray(content)) &&
    isOptionalString(u.role) &&
    isOptionalString(u.refusal) &&
    isOptionalString(u.reasoning_content) &&
    isOptionalString(u.reasoning) &&
    isOptionalArrayOf(u.tool_calls, isOpenAIWireToolCall) &&
    isOptionalArrayOf(u.annotations, isAnything) &&
    (u.audio === undefined || u.audio === null || isOpenAIWireAudio(u.audio))
  );
}

const isAnything = (): boolean => true;

function isOpenAIWireAudio(u: unknown): boolean {
  return isRecord(u) && isOptionalString(u.id) && isOptionalString(u.data) && isOptionalString(u.transcript) && isOptionalNumber(u.expires_at);
}

function isOpenAIWireToolCall(u: unknown): boolean {
  if (!isRecord(u) || !isOptionalNumber(u.index) || !isOptionalString(u.id) || !isOptionalString(u.type)) return false;
  const fn = u.function;
  const custom = u.custom;
  return (
    (fn === undefined || fn === null || (isRecord(fn) && isOptionalString(fn.name) && (isOptionalString(fn.arguments) || isRecord(fn.arguments)))) &&
    (custom === undefined || custom === null || (isRecord(custom) && isOptionalString(custom.name) && isOptionalString(custom.input)))
  );
}

function isOpenAIWireUsage(u: unknown): boolean {
  if (!isRecord(u) || !isOptionalNumber(u.prompt_tokens) || !isOptionalNumber(u.completion_tokens) || !isOptionalNumber(u.total_tokens) || !isOptionalNumber(u.reasoning_tokens)) return false;
  const prompt = u.prompt_tokens_details;
  const completion = u.completion_tokens_details;
  return (
    (prompt === undefined || prompt === null || (isRecord(prompt) && isOptionalNumber(prompt.cached_tokens))) &&
    (completion === undefined || completion === null || (isRecord(completion) && isOptionalNumber(completion.reasoning_tokens)))
  );
}
