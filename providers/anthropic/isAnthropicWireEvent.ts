import { isOptionalNumber, isOptionalString, isRecord } from '../../lib/codec/wireChecks';

/**
 * `AnthropicWireEvent.is`, written out by hand for the hot path (installed with `specializeGuard`
 * in wireEvent.ts): one plain property read per field instead of the compiled closures. It must
 * accept exactly what the codec accepts; spec/lib/specializedGuards.spec.ts checks that.
 */
export function isAnthropicWireEvent(u: unknown): boolean {
  if (!isRecord(u) || !isOptionalString(u.type) || !isOptionalNumber(u.index)) return false;
  const { message, content_block: block, delta, usage } = u;
  return (
    (delta === undefined || delta === null || isAnthropicWireDelta(delta)) &&
    (block === undefined || block === null || isAnthropicWireContentBlock(block)) &&
    (message === undefined || message === null || isAnthropicWireMessage(message)) &&
    (usage === undefined || usage === null || isAnthropicWireUsage(usage))
  );
}

function isAnthropicWireDelta(u: unknown): boolean {
  return (
    isRecord(u) &&
    isOptionalString(u.type) &&
    isOptionalString(u.text) &&
    isOptionalString(u.partial_json) &&
    isOptionalString(u.thinking) &&
    isOptionalString(u.signature) &&
    isOptionalString(u.stop_reason) &&
    isOptionalString(u.stop_sequence)
  );
}

function isAnthropicWireContentBlock(u: unknown): boolean {
  return (
    isRecord(u) &&
    isOptionalString(u.type) &&
    isOptionalString(u.text) &&
    isOptionalString(u.id) &&
    isOptionalString(u.name) &&
    isOptionalString(u.thinking) &&
    isOptionalString(u.signature) &&
    isOptionalString(u.data)
  );
}

function isAnthropicWireMessage(u: unknown): boolean {
  return isRecord(u) && isOptionalString(u.id) && isOptionalString(u.model) && (u.usage === undefined || u.usage === null || isAnthropicWireUsage(u.usage));
}

function isAnthropicWireUsage(u: unknown): boolean {
  if (
    !isRecord(u) ||
    !isOptionalNumber(u.input_tokens) ||
    !isOptionalNumber(u.output_tokens) ||
    !isOptionalNumber(u.cache_creation_input_tokens) ||
    !isOptionalNumber(u.cache_read_input_tokens)
  ) {
    return false;
  }
  const details = u.output_tokens_details;
  return details === undefined || details === null || (isRecord(details) && isOptionalNumber(details.thinking_tokens));
}
