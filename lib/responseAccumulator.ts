import type { ChatResponse, ToolCall } from './types/chatResponse';
import type { Chunk } from './types/chunk';
import { citationKey, type Citation } from './types/citation';
import type { ToolCallDelta } from './types/toolCallDelta';
import type { Usage } from './types/usage';

interface ToolCallState {
  index: number;
  id: string | undefined;
  name: string | undefined;
  argumentsText: string;
  thoughtSignature: string | undefined;
  itemId: string | undefined;
  parsedText: string | undefined;
  parsed: unknown;
  /** a custom tool's call: its input is free text, never parsed */
  custom: boolean;
}

/**
 * Folds chunks into a `ChatResponse` in time linear in the answer: text deltas are collected and
 * joined once per snapshot (so `toResponse` joins once, `accumulate` only what is new), a tool call's arguments are parsed once per change and only when
 * they can be complete JSON, and `snapshot()` copies only the small parts.
 */
export interface ResponseAccumulator {
  add(chunk: Chunk): void;
  snapshot(): ChatResponse;
}

/**
 * @param from an answer to start from (a copy of another fold's snapshot): the fold goes on from
 * it exactly as the fold that made it would
 */
export function createResponseAccumulator(from?: ChatResponse): ResponseAccumulator {
  let provider = '';
  let id: string | undefined;
  let model: string | undefined;
  // text grows by parts, joined when a snapshot is taken: one join per snapshot of what came since
  let content = '';
  let contentParts: string[] = [];
  let reasoning = '';
  let reasoningParts: string[] = [];
  let finishReason: ChatResponse['finishReason'];
  let usage: Usage | undefined;
  let metadata: Record<string, unknown> = {};
  const calls = new Map<number, ToolCallState>();
  const citations: Citation[] = [];
  const cited = new Set<string>();

  const accumulator: ResponseAccumulator = {
    add(chunk) {
      if (!provider) provider = chunk.provider;
      if (!id && chunk.id) id = chunk.id;
      // the model that answered: the last one named (Anthropic's fallback hands over to another model mid-message)
      if (chunk.model) model = chunk.model;
      if (chunk.content) contentParts.push(chunk.content);
      if (chunk.reasoning) reasoningParts.push(chunk.reasoning);
      if (chunk.toolCalls) {
        for (const delta of chunk.toolCalls) {
          let call = calls.get(delta.index);
          if (!call) {
            call = { index: delta.index, id: undefined, name: undefined, argumentsText: '', thoughtSignature: undefined, itemId: undefined, parsedText: undefined, parsed: undefined, custom: false };
            calls.set(delta.index, call);
          }
          if (!call.id && delta.id) call.id = delta.id;
          if (!call.name && delta.name) call.name = delta.name;
          if (delta.argumentsDelta) call.argumentsText += delta.argumentsDelta;
          if (!call.thoughtSignature && delta.thoughtSignature) call.thoughtSignature = delta.thoughtSignature;
          if (!call.itemId && delta.itemId) call.itemId = delta.itemId;
          if (delta.custom) call.custom = true;
        }
      }
      if (chunk.citations) {
        for (const citation of chunk.citations) {
          const key = citationKey(citation);
          if (cited.has(key)) continue;
          cited.add(key);
          citations.push(citation);
        }
      }
      if (chunk.finishReason) finishReason = chunk.finishReason;
      if (chunk.usage) usage = usage ? { ...usage, ...chunk.usage } : chunk.usage;
      if (chunk.metadata) metadata = { ...metadata, ...chunk.metadata };
    },
    snapshot() {
      if (contentParts.length > 0) {
        content += contentParts.length === 1 ? contentParts[0] : contentParts.join('');
        contentParts = [];
      }
      if (reasoningParts.length > 0) {
        reasoning += reasoningParts.length === 1 ? reasoningParts[0] : reasoningParts.join('');
        reasoningParts = [];
      }
      const toolCalls: ToolCall[] = [];
      for (const call of [...calls.values()].sort((a, b) => a.index - b.index)) {
        let toolCall: ToolCall;
        if (call.custom) {
          toolCall = { index: call.index, id: call.id ?? '', name: call.name ?? '', arguments: call.argumentsText, argumentsText: call.argumentsText, custom: true };
        } else {
          if (call.parsedText !== call.argumentsText) {
            call.parsedText = call.argumentsText;
            call.parsed = parseArguments(call.argumentsText);
          }
          toolCall = { index: call.index, id: call.id ?? '', name: call.name ?? '', arguments: call.parsed, argumentsText: call.argumentsText };
          if (call.thoughtSignature) toolCall.thoughtSignature = call.thoughtSignature;
        }
        if (call.itemId) toolCall.itemId = call.itemId;
        toolCalls.push(toolCall);
      }
      const response: ChatResponse = {
        provider,
        content,
        reasoning,
        toolCalls,
        citations: citations.slice(),
        finishReason,
        usage,
        metadata,
      };
      if (id) response.id = id;
      if (model) response.model = model;
      return response;
    },
  };
  if (from) accumulator.add(asChunk(from));
  return accumulator;
}

/** An answer as one chunk that folds to it: its text whole, each tool call's arguments as one fragment. */
function asChunk(response: ChatResponse): Chunk {
  const chunk: Chunk = { provider: response.provider, seq: 0, bytes: 0, content: response.content, reasoning: response.reasoning, metadata: response.metadata };
  if (response.id) chunk.id = response.id;
  if (response.model) chunk.model = response.model;
  if (response.toolCalls.length > 0) {
    chunk.toolCalls = response.toolCalls.map(({ index, id, name, argumentsText, thoughtSignature, custom, itemId }) => {
      const delta: ToolCallDelta = { index, argumentsDelta: argumentsText };
      if (id) delta.id = id;
      if (name) delta.name = name;
      if (thoughtSignature) delta.thoughtSignature = thoughtSignature;
      if (custom) delta.custom = true;
      if (itemId) delta.itemId = itemId;
      return delta;
    });
  }
  if (response.citations.length > 0) chunk.citations = response.citations;
  if (response.finishReason) chunk.finishReason = response.finishReason;
  if (response.usage) chunk.usage = response.usage;
  return chunk;
}

/**
 * The arguments as a value: `{}` for a call streamed with no arguments at all (some providers send
 * nothing for a tool without parameters), `undefined` while the text is not complete JSON.
 */
function parseArguments(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  const last = trimmed[trimmed.length - 1];
  if (last !== '}' && last !== ']') return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}
