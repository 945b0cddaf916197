import { decodeWirePayload } from '../../lib/decodeWirePayload';
import { StreamInterruptedError } from '../../lib/errors/streamInterruptedError';
import type { DecoderContext, StreamDecoder } from '../../lib/provider';
import { toProviderStreamError } from '../../lib/toProviderStreamError';
import type { WireEvent } from '../../lib/transport/sseFraming';
import type { Chunk } from '../../lib/types/chunk';
import { convertLMStudioV1Stats } from './convertLMStudioV1Stats';
import type { LMStudioServerToolCall } from './lmstudioServerToolCall';
import { LMStudioV1WireEvent, type LMStudioV1EventType } from './wireV1Event';

/**
 * The decoder of LM Studio's native REST v1 chat stream (`POST /api/v1/chat`, LM Studio ≥ 0.4.0).
 * Maps each named event to at most one chunk:
 *
 * - `chat.start` → the model (`model_instance_id`), no chunk;
 * - `reasoning.delta` → `reasoning`; `message.delta` → `content` (as sent, white space and all);
 * - `tool_call.start` / `.arguments` / `.success` / `.failure` → `metadata.serverToolCalls`, the
 *   list so far (see `LMStudioServerToolCall`): LM Studio runs these tools itself (MCP servers,
 *   plugins) and the answer goes on in the same stream, so they are not `toolCalls`;
 * - `chat.end` → the final chunk: `finishReason` (`stop`; `length` when the output tokens reached the
 *   request's `max_output_tokens`, since v1 sends no stop reason), `usage` and `metadata.stats`
 *   from `result.stats` (see `convertLMStudioV1Stats`), `id` = `result.response_id` when the chat
 *   was stored; the stream is done;
 * - `error` → `ProviderStreamError` with the server's message and type (the stream's `partial`
 *   answer is added by `streamChat$`);
 * - `model_load.*`, `prompt_processing.*`, the `*.start` / `*.end` markers and unknown types are
 *   ignored: they carry nothing of the answer, and a chunk for each would count as an answer chunk
 *   in every metric.
 *
 * A body that ends before `chat.end` fails with `StreamInterruptedError` (v1 sends no `[DONE]`).
 *
 * @example
 * const decoder = createLMStudioV1Decoder({ provider: 'lmstudio', emit: (chunk) => chunks.push(chunk) });
 * decoder.onEvent({ event: 'message.delta', data: '{"type":"message.delta","content":"The current"}' });
 * // chunks: [{ provider: 'lmstudio', seq: 0, bytes: 0, content: 'The current' }]
 */
export function createLMStudioV1Decoder(context: DecoderContext): StreamDecoder {
  const { provider, emit } = context;
  const maxOutputTokens = maxOutputTokensOf(context.request?.body);
  let model: string | undefined;
  let serverToolCalls: LMStudioServerToolCall[] | undefined;
  let done = false;

  const newChunk = (): Chunk => ({ provider, seq: 0, bytes: 0, model });

  /** the call a `tool_call.*` event is about: the last one, unless a new one starts */
  const toolCall = (payload: LMStudioV1WireEvent, start: boolean): LMStudioServerToolCall => {
    const calls = (serverToolCalls ??= []);
    let call = calls[calls.length - 1];
    if (start || !call || call.status !== 'running') {
      call = { tool: payload.tool ?? '', status: 'running' };
      calls.push(call);
    }
    if (payload.tool) call.tool = payload.tool;
    if (payload.provider_info !== undefined && payload.provider_info !== null) call.providerInfo = payload.provider_info;
    if (payload.arguments !== undefined && payload.arguments !== null) call.arguments = payload.arguments;
    return call;
  };
  const emitToolCalls = () => {
    const chunk = newChunk();
    // a copy of each call: a chunk already handed on must not change under its subscriber
    chunk.metadata = { serverToolCalls: serverToolCalls!.map((call) => ({ ...call })) };
    emit(chunk);
  };

  const onChatEnd = (payload: LMStudioV1WireEvent) => {
    done = true;
    const result = payload.result;
    if (result?.model_instance_id) model = result.model_instance_id;
    const chunk = newChunk();
    if (result?.response_id) chunk.id = result.response_id;
    const { usage, stats } = result?.stats ? convertLMStudioV1Stats(result.stats) : {};
    chunk.finishReason = maxOutputTokens !== undefined && usage?.outputTokens !== undefined && usage.outputTokens >= maxOutputTokens ? 'length' : 'stop';
    if (usage) chunk.usage = usage;
    if (stats) chunk.metadata = { stats };
    emit(chunk);
  };

  const onEvent = ({ data, event }: WireEvent) => {
    const payload = decodeWirePayload(LMStudioV1WireEvent, data, provider);
    // typed as the known event types for the exhaustive switch; a new type reaches `default` and is ignored
    const type = (event && event !== 'message' ? event : payload.type) as LMStudioV1EventType;
    switch (type) {
      case 'message.delta': {
        if (!payload.content) return;
        const chunk = newChunk();
        chunk.content = payload.content;
        emit(chunk);
        return;
      }
      case 'reasoning.delta': {
        if (!payload.content) return;
        const chunk = newChunk();
        chunk.reasoning = payload.content;
        emit(chunk);
        return;
      }
      case 'chat.start':
        if (payload.model_instance_id) model = payload.model_instance_id;
        return;
      case 'tool_call.start':
      case 'tool_call.arguments':
        toolCall(payload, type === 'tool_call.start');
        emitToolCalls();
        return;
      case 'tool_call.success': {
        const call = toolCall(payload, false);
        call.status = 'succeeded';
        if (typeof payload.output === 'string') call.output = payload.output;
        emitToolCalls();
        return;
      }
      case 'tool_call.failure': {
        const call = toolCall(payload, false);
        call.status = 'failed';
        if (typeof payload.reason === 'string') call.reason = payload.reason;
        if (payload.metadata !== undefined && payload.metadata !== null) call.failure = payload.metadata;
        // an `invalid_name` failure names the tool only in its metadata
        const named = (payload.metadata as { tool_name?: unknown } | null | undefined)?.tool_name;
        if (!call.tool && typeof named === 'string') call.tool = named;
        emitToolCalls();
        return;
      }
      case 'error':
        throw toProviderStreamError(provider, payload);
      case 'chat.end':
        onChatEnd(payload);
        return;
      case 'model_load.start':
      case 'model_load.progress':
      case 'model_load.end':
      case 'prompt_processing.start':
      case 'prompt_processing.progress':
      case 'prompt_processing.end':
      case 'reasoning.start':
      case 'reasoning.end':
      case 'message.start':
      case 'message.end':
        return;
      default: {
        // an event type not known here (at run time): ignored
        const unknown: never = type;
        return unknown;
      }
    }
  };

  return {
    onEvent,
    onEnd() {
      if (!done) throw new StreamInterruptedError(`${provider}: the stream ended before chat.end`, { provider, retryable: true });
    },
    get done() {
      return done;
    },
  };
}

/** The request's `max_output_tokens`, when it set one. */
function maxOutputTokensOf(body: unknown): number | undefined {
  const max = (body as { max_output_tokens?: unknown } | null | undefined)?.max_output_tokens;
  return typeof max === 'number' ? max : undefined;
}
