import { decodeWirePayload } from '../../lib/decodeWirePayload';
import { toProviderStreamError } from '../../lib/toProviderStreamError';
import { ParseError } from '../../lib/errors/parseError';
import { StreamInterruptedError } from '../../lib/errors/streamInterruptedError';
import type { DecoderContext, StreamDecoder } from '../../lib/provider';
import type { WireEvent } from '../../lib/transport/sseFraming';
import type { Chunk } from '../../lib/types/chunk';
import type { ThinkingBlock } from '../../lib/types/thinkingBlock';
import { createAssistantTurnRecorder } from './assistantTurnRecorder';
import { ANTHROPIC_MAX_PAUSE_CONTINUATIONS, canPause, pausedTurnOf, toPausedTurnToken } from './continueAnthropicFrom';
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
  /** a thinking block's text so far, joined when it ends */
  thinking?: string[];
  signature?: string;
}

/**
 * The Anthropic Messages stream decoder. Maps each SSE event to at most one chunk:
 *
 * - `message_start` → `id`, `model` and the input side of `usage`;
 * - `content_block_start` → for `tool_use`, the call's `id` and `name` (tool `index` counts the
 *   tool blocks 0, 1, …, whatever their block index); `redacted_thinking` → `metadata.redactedThinking`;
 *   `fallback` (beta) → the model it hands over to becomes the chunks' `model`, the block `metadata.fallback`;
 * - `content_block_delta` → `text_delta` to `content`, `input_json_delta` to the call's
 *   `argumentsDelta`, `thinking_delta` to `reasoning`, `signature_delta` to
 *   `metadata.thinkingSignature`, `citations_delta` to `citations` (every kind, see `convertAnthropicCitation`);
 * - `content_block_stop` of a thinking block → `metadata.thinkingBlocks`, every thinking and
 *   redacted thinking block so far, complete and in order (to send back with the turn);
 * - `message_delta` → `finishReason` (raw value in `metadata.rawFinishReason`) and the final usage;
 *   a `pause_turn` of a request that runs server tools gives no finish but
 *   `metadata.continuationToken`, the turn to send again (`continueAnthropicFrom`), up to
 *   `ANTHROPIC_MAX_PAUSE_CONTINUATIONS` times;
 * - `message_stop` → done; `ping` and unknown types are ignored;
 * - `error` → `ProviderStreamError`, retryable for overload, rate limit and server errors;
 * - a second `message_start` of another message while one is open (two streams spliced into one)
 *   → `ParseError` (kind `framing`), nothing of the second message delivered; the same message
 *   announced twice is tolerated.
 *
 * A body that ends before `message_delta` brought the stop reason fails with `StreamInterruptedError`.
 */
export function createAnthropicDecoder(context: DecoderContext): StreamDecoder {
  const { provider, emit } = context;
  const blocks = new Map<number, BlockState>();
  const redactedThinking: string[] = [];
  // a turn that can pause is recorded, to be sent again; a continued one goes on after what it continues
  const paused = pausedTurnOf(context.request);
  const turn = canPause(context.request) ? createAssistantTurnRecorder() : undefined;
  let nextToolIndex = paused ? paused.content.filter((block) => block.type === 'tool_use').length : 0;
  // the turn's thinking blocks, to send back with it (those of the turn it continues first)
  const thinkingBlocks: ThinkingBlock[] = paused ? (paused.content.filter((block) => block.type === 'thinking' || block.type === 'redacted_thinking') as ThinkingBlock[]) : [];
  let id: string | undefined;
  let model: string | undefined;
  let startUsage: AnthropicWireUsage | undefined;
  let started = false;
  let sawStopReason = false;
  let done = false;

  const newChunk = (): Chunk => ({ provider, seq: 0, bytes: 0, id, model });

  const toolBlock = (index: number, startInput: unknown): BlockState => {
    const state: BlockState = { kind: 'tool', toolIndex: nextToolIndex++, sawArguments: false, startInput };
    blocks.set(index, state);
    return state;
  };

  const onMessageStart = (payload: AnthropicWireEvent, data: string) => {
    const message = payload.message;
    if (!message) return;
    if (started) {
      // a second message_start while the message is open: the same message announced twice is
      // harmless; another message spliced into this one would mix two generations (its thinking
      // under the other's signature, its tool calls into ours), so it ends the stream here
      if (message.id && id && message.id !== id) {
        throw new ParseError({
          provider,
          kind: 'framing',
          message: `${provider}: message_start of message ${message.id} while message ${id} is still open (two messages spliced into one stream)`,
          raw: data,
        });
      }
      return;
    }
    started = true;
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
    turn?.start(index, block);
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
        blocks.set(index, { kind: 'thinking', toolIndex: -1, sawArguments: false, startInput: undefined, thinking: block.thinking ? [block.thinking] : [] });
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
          thinkingBlocks.push({ type: 'redacted_thinking', data: block.data });
          const chunk = newChunk();
          chunk.metadata = { redactedThinking: redactedThinking.slice(), thinkingBlocks: thinkingBlocks.slice() };
          emit(chunk);
        }
        return;
      }
      case 'fallback': {
        // (beta) the model refused and another takes over from here: the answer is the other's,
        // as the official SDK relabels the message; the block itself is kept in metadata.fallback
        blocks.set(index, { kind: 'other', toolIndex: -1, sawArguments: false, startInput: undefined });
        const to = block.to as { model?: unknown } | null | undefined;
        if (to && typeof to.model === 'string' && to.model) model = to.model;
        const chunk = newChunk();
        chunk.metadata = { fallback: block };
        emit(chunk);
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
    turn?.delta(index, delta);
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
        blocks.get(index)?.thinking?.push(delta.thinking);
        const chunk = newChunk();
        chunk.reasoning = delta.thinking;
        emit(chunk);
        return;
      }
      case 'signature_delta': {
        if (!delta.signature) return;
        const state = blocks.get(index);
        if (state) state.signature = delta.signature;
        const chunk = newChunk();
        chunk.metadata = { thinkingSignature: delta.signature };
        emit(chunk);
        return;
      }
      case 'citations_delta': {
        if (delta.citation === undefined || delta.citation === null) return;
        const citation = convertAnthropicCitation(delta.citation);
        if (!citation) return;
        const chunk = newChunk();
        chunk.citations = [citation];
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
    if (state.kind === 'thinking' && state.thinking) {
      // a complete thinking block, with its signature: all of them so far, in order, to send back
      thinkingBlocks.push({ type: 'thinking', thinking: state.thinking.join(''), signature: state.signature ?? '' });
      state.thinking = undefined;
      const chunk = newChunk();
      chunk.metadata = { thinkingBlocks: thinkingBlocks.slice() };
      emit(chunk);
      return;
    }
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
        const metadata: Record<string, unknown> = { rawFinishReason: reason };
        const pauses = (paused?.pauses ?? 0) + 1;
        if (reason === 'pause_turn' && turn && pauses <= ANTHROPIC_MAX_PAUSE_CONTINUATIONS) {
          // the server paused its tool loop: no finish yet, but the turn to send again, which
          // streamChat$ follows (continueAnthropicFrom) as the next hop of this answer
          metadata.continuationToken = toPausedTurnToken({ pauses, content: paused ? [...paused.content, ...turn.blocks()] : turn.blocks() });
        } else {
          chunk.finishReason = mapAnthropicStopReason(reason);
        }
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
        onMessageStart(payload, data);
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
