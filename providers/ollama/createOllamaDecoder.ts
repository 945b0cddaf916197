import { decodeWirePayload } from '../../lib/decodeWirePayload';
import { ProviderStreamError } from '../../lib/errors/providerStreamError';
import { StreamInterruptedError } from '../../lib/errors/streamInterruptedError';
import type { DecoderContext, StreamDecoder } from '../../lib/provider';
import type { WireEvent } from '../../lib/transport/sseFraming';
import type { Chunk } from '../../lib/types/chunk';
import type { ToolCallDelta } from '../../lib/types/toolCallDelta';
import { convertOllamaUsage } from './convertOllamaUsage';
import { mapOllamaDoneReason } from './mapOllamaDoneReason';
import { ollamaToolCallId } from './ollamaToolCallId';
import { addOllamaTimingMetadata } from './ollamaTimingMetadata';
import { OllamaWireLine, type OllamaWireToolCall } from './wireLine';

/**
 * The decoder of Ollama's native `/api/chat` NDJSON stream: one JSON object per line.
 * `message.content` → `content`, `message.thinking` → `reasoning`, each entry of
 * `message.tool_calls` (always complete: Ollama parses the call before sending it) → one
 * `ToolCallDelta` carrying the whole arguments as JSON text. The `done: true` line ends the stream
 * with the finish reason, the usage and the server's timings (`metadata`); an `{"error": …}` line
 * fails it with `ProviderStreamError`, and a body that ends before `done` with
 * `StreamInterruptedError`.
 *
 * @example
 * const decoder = createOllamaDecoder({ provider: 'ollama', emit: (chunk) => console.log(chunk.content) });
 * decoder.onEvent({ data: '{"model":"llama3.2","message":{"role":"assistant","content":"Hi"},"done":false}' });
 */
export function createOllamaDecoder(context: DecoderContext): StreamDecoder {
  const { provider, emit } = context;
  let nextToolIndex = 0;
  let done = false;

  const onEvent = ({ data }: WireEvent) => {
    const line = decodeWirePayload(OllamaWireLine, data, provider);
    // an error line has no model / message / done: check it before anything else
    if (line.error !== undefined && line.error !== null) throw ollamaStreamError(provider, line);

    const chunk: Chunk = { provider, seq: 0, bytes: 0 };
    if (line.model) chunk.model = line.model;
    let meaningful = false;
    const message = line.message;
    if (message) {
      if (message.thinking) {
        chunk.reasoning = message.thinking;
        meaningful = true;
      }
      if (message.content) {
        chunk.content = message.content;
        meaningful = true;
      }
      const calls = message.tool_calls;
      if (calls && calls.length > 0) {
        const toolCalls: ToolCallDelta[] = new Array(calls.length);
        for (let i = 0; i < calls.length; i++) toolCalls[i] = toToolCallDelta(calls[i], nextToolIndex++);
        chunk.toolCalls = toolCalls;
        meaningful = true;
      }
    }
    if (line.done === true) {
      done = true;
      chunk.finishReason = mapOllamaDoneReason(line.done_reason, nextToolIndex > 0);
      const metadata: Record<string, unknown> = {};
      if (line.done_reason) metadata.rawFinishReason = line.done_reason;
      addOllamaTimingMetadata(line, metadata);
      chunk.metadata = metadata;
      const usage = convertOllamaUsage(line);
      if (usage) chunk.usage = usage;
      meaningful = true;
    }
    if (meaningful) emit(chunk);
  };

  return {
    onEvent,
    onEnd() {
      if (!done) {
        throw new StreamInterruptedError(`${provider}: the stream ended without its "done": true line`, { provider, retryable: true });
      }
    },
    get done() {
      return done;
    },
  };
}

/**
 * One complete wire call → one fragment: our own `index` (counted over the whole answer, as the
 * wire's `function.index` restarts per line on some servers and is absent on older ones), the
 * wire's `id` or a stable one made from the index, and the arguments object as JSON text.
 */
function toToolCallDelta(call: OllamaWireToolCall, index: number): ToolCallDelta {
  const delta: ToolCallDelta = { index, id: call.id || ollamaToolCallId(index) };
  const fn = call.function;
  if (fn?.name) delta.name = fn.name;
  const args = fn?.arguments;
  if (typeof args === 'string') {
    if (args) delta.argumentsDelta = args;
  } else if (args !== undefined && args !== null) {
    delta.argumentsDelta = JSON.stringify(args);
  }
  return delta;
}

/**
 * `{"error": "…"}` inside a 200 stream. It is the model runner failing after the answer started —
 * the same failure Ollama reports as HTTP 500 before the first byte — so it is retryable.
 */
function ollamaStreamError(provider: string, line: OllamaWireLine): ProviderStreamError {
  const error = line.error;
  const nested = error && typeof error === 'object' ? (error as { message?: unknown }).message : undefined;
  const message = typeof error === 'string' ? error : typeof nested === 'string' ? nested : JSON.stringify(error);
  return new ProviderStreamError({ provider, message, body: line, retryable: true });
}
