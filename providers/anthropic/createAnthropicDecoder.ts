import { decodeWirePayload } from '../../lib/decodeWirePayload';
import { toProviderStreamError } from '../../lib/toProviderStreamError';
import { StreamInterruptedError } from '../../lib/errors/streamInterruptedError';
import type { DecoderContext, StreamDecoder } from '../../lib/provider';
import type { WireEvent } from '../../lib/transport/sseFraming';
import type { Chunk } from '../../lib/types/chunk';
import { convertAnthropicCitation } from './convertAnthropicCitation';
import { convertAnthropicUsage, mergeAnthropicUsage } from './convertAnthropicUsage';
import { mapAnthropicStopReason } from './mapAnthropicStopReason';
import {
  AnthropicWireEvent,
  isAnthropicBlockType,
  type AnthropicDeltaType,
  type AnthropicEventType,
  type AnthropicWireContentBlock,
  type AnthropicWireDelta,
  type AnthropicWireUsage,
} from './wireEvent';

/** What the decoder remembers of one content block, by its wire `index`. */
interface BlockState {
  kind: 'text' | 'tool' | 'thinking' | 'other';
  /** our own tool call index (0, 1, … over the tool_use blocks), not the block index */
  toolIndex: number;
  /** whether an `input_json_delta` with text arrived */
  sawArguments: boolean;
  /** the `input` of `content_block_start`, used only when no delta brings the arguments */
  startInput: unknown;
}

/**
 * The Anthropic Messages stream decoder. Maps each SSE event to at most one chunk:
 *
 * - `message_start` → `id`, `model` and the input side of `usage`;
 * - `content_block_start` → for `tool_use`, the call's `id` and `name` (tool `index` counts the
 *   tool blocks 0, 1, …, whatever their block index); `redacted_thinking` → `metadata.redactedThinking`;
 * - `content_block_delta` → `text_delta` to `content`, `input_json_delta` to the call's
 *   `argumentsDelta`, `thinking_delta` to `reasoning`, `signature_delta` to
 *   `metadata.thinkingSignature`, `citations_delta` to `citations`;
 * - `message_delta` → `finishReason` (raw value in `metadata.rawFinishReason`) and the final usage;
 * - `message_stop` → done; `ping` and unknown types are ignored;
 * - `error` → `ProviderStreamError`, retryable for overload, rate limit and server errors.
 *
 * A body that ends before `message_delta` brought the stop reason fails with `StreamInterruptedError`.
 */
export function createAnthropicDecoder(context: DecoderContext): StreamDecoder {
  const { provider, emit } = context;
  const blocks = new Map<number, BlockState>();
  const redactedThinking: string[] = [];
  let nextToolIndex = 0;
  let id: string | undefined;
  let model: string | undefined;
  let startUsage: AnthropicWireUsage | undefined;
  let sawStopReason = false;
  let done = false;

  const newChunk = (): Chunk => ({ provider, seq: 0, bytes: 0, id, model });

  const toolBlock = (index: number, startInput: unknown): BlockState => {
    const state: BlockState = { kind: 'tool', toolIndex: nextToolIndex++, sawArguments: false, startInput };
    blocks.set(index, state);
    return state;
  };

  const onMessageStart = (payload: AnthropicWireEvent) => {
    const message = payload.message;
    if (!message) return;
    if (message.id) id = message.id;
    if (message.model) model = message.model;
    const chunk = newChunk();
    const usage = message.usage;
    if (usage) {
      startUsage = usage;
      // `output_tokens` here is a provisional count; the real one comes with message_delta
      chunk.usage = convertAnthropicUsage({
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
      });
    }
    emit(chunk);
  };

  const onBlockStart = (index: number, block: AnthropicWireContentBlock) => {
    const type = block.type;
    if (!isAnthropicBlockType(type)) {
      // server tool use and its results run on Anthropic's side: not calls for the client to make
      blocks.set(index, { kind: 'other', toolIndex: -1, sawArguments: false, startInput: undefined });
      return;
    }
    switch (type) {
      case 'text': {
        blocks.set(index, { kind: 'text', toolIndex: -1, sawArguments: false, startInput: undefined });
        if (block.text) {
          const chunk = newChunk();
          chunk.content = block.text;
          emit(chunk);
        }
        return;
      }
      case 'tool_use': {
        const state = toolBlock(index, block.input);
        const chunk = newChunk();
        const call: { index: number; id?: string; name?: string } = { index: state.toolIndex };
        if (block.id) call.id = block.id;
        if (block.name) call.name = block.name;
        chunk.toolCalls = [call];
        emit(chunk);
        return;
      }
      case 'thinking': {
        blocks.set(index, { kind: 'thinking', toolIndex: -1, sawArguments: false, startInput: undefined });
        if (block.thinking) {
          const chunk = newChunk();
          chunk.reasoning = block.thinking;
          emit(chunk);
        }
        return;
      }
      case 'redacted_thinking': {
        blocks.set(index, { kind: 'other', toolIndex: -1, sawArguments: false, startInput: undefined });
        if (block.data) {
          redactedThinking.push(block.data);
          const chunk = newChunk();
          chunk.metadata = { redactedThinking: redactedThinking.slice() };
          emit(chunk);
        }
        return;
      }
      default: {
        const unreachable: never = type;
        return unreachable;
      }
    }
  };

  const onBlockDelta = (index: number, delta: AnthropicWireDelta) => {
    // typed as the known delta types for the exhaustive switch; any other (a new kind) reaches
    // `default` and is ignored — no lookup of the type before the switch, on the hot path
    const type = delta.type as AnthropicDeltaType;
    switch (type) {
      case 'text_delta': {
        if (!delta.text) return;
        const chunk = newChunk();
        chunk.content = delta.text;
        emit(chunk);
        return;
      }
      case 'input_json_delta': {
        let state = blocks.get(index);
        if (!state) state = toolBlock(index, undefined);
        // a server tool's input streams too, but it is not a call for the client
        if (state.kind !== 'tool' || !delta.partial_json) return;
        state.sawArguments = true;
        const chunk = newChunk();
        chunk.toolCalls = [{ index: state.toolIndex, argumentsDelta: delta.partial_json }];
        emit(chunk);
        return;
      }
      case 'thinking_delta': {
        if (!delta.thinking) return;
        const chunk = newChunk();
        chunk.reasoning = delta.thinking;
        emit(chunk);
        return;
      }
      case 'signature_delta': {
        if (!delta.signature) return;
        const chunk = newChunk();
        chunk.metadata = { thinkingSignature: delta.signature };
        emit(chunk);
        return;
      }
      case 'citations_delta': {
        if (delta.citation === undefined || delta.citation === null) return;
        const chunk = newChunk();
        const citation = convertAnthropicCitation(delta.citation);
        if (citation) chunk.citations = [citation];
        else chunk.metadata = { citation: delta.citation };
        emit(chunk);
        return;
      }
      default: {
        // a delta type not known here (at run time): ignored
        const unknown: never = type;
        return unknown;
      }
    }
  };

  const onBlockStop = (index: number) => {
    const state = blocks.get(index);
    if (!state) return;
    // a tool_use block whose input came whole with content_block_start and no delta
    if (state.kind === 'tool' && !state.sawArguments && hasKeys(state.startInput)) {
      const chunk = newChunk();
      chunk.toolCalls = [{ index: state.toolIndex, argumentsDelta: JSON.stringify(state.startInput) }];
      emit(chunk);
    }
  };

  const onMessageDelta = (payload: AnthropicWireEvent) => {
    const chunk = newChunk();
    let meaningful = false;
    const delta = payload.delta;
    if (delta) {
      const reason = delta.stop_reason;
      if (reason) {
        chunk.finishReason = mapAnthropicStopReason(reason);
        const metadata: Record<string, unknown> = { rawFinishReason: reason };
        if (delta.stop_sequence) metadata.stopSequence = delta.stop_sequence;
        if (delta.stop_details !== undefined && delta.stop_details !== null) metadata.stopDetails = delta.stop_details;
        chunk.metadata = metadata;
        sawStopReason = meaningful = true;
      }
    }
    if (payload.usage) {
      chunk.usage = convertAnthropicUsage(mergeAnthropicUsage(startUsage, payload.usage));
      meaningful = true;
    }
    if (meaningful) emit(chunk);
  };

  const onEvent = ({ data, event }: WireEvent) => {
    const payload = decodeWirePayload(AnthropicWireEvent, data, provider);
    // typed as the known event types for the exhaustive switch; a new type reaches `default` and
    // is tolerated, as the API asks
    const type = (event === 'error' ? 'error' : (payload.type ?? event)) as AnthropicEventType;
    switch (type) {
      case 'message_start':
        onMessageStart(payload);
        return;
      case 'content_block_start':
        if (payload.content_block) onBlockStart(payload.index ?? 0, payload.content_block);
        return;
      case 'content_block_delta':
        if (payload.delta) onBlockDelta(payload.index ?? 0, payload.delta);
        return;
      case 'content_block_stop':
        onBlockStop(payload.index ?? 0);
        return;
      case 'message_delta':
        onMessageDelta(payload);
        return;
      case 'message_stop':
        done = true;
        return;
      case 'ping':
        return;
      case 'error':
        throw toProviderStreamError(provider, payload);
      default: {
        // an event type not known here (at run time): tolerated
        const unknown: never = type;
        return unknown;
      }
    }
  };

  return {
    onEvent,
    onEnd() {
      // the stop reason and the final usage come with message_delta: after it, only message_stop is
      // missing and nothing of the answer is lost (the rule of every provider: a terminator or a finish reason)
      if (done || sawStopReason) return;
      throw new StreamInterruptedError(`${provider}: the stream ended before the message was complete, without message_stop`, { provider, retryable: true });
    },
    get done() {
      return done;
    },
  };
}

function hasKeys(value: unknown): boolean {
  return value !== null && typeof value === 'object' && Object.keys(value).length > 0;
}
