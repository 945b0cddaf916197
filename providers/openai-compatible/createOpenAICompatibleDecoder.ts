import { ParseError } from '../../lib/errors/parseError';
import { StreamInterruptedError } from '../../lib/errors/streamInterruptedError';
import { decodeWirePayload } from '../../lib/decodeWirePayload';
import { toProviderStreamError } from '../../lib/toProviderStreamError';
import type { DecoderContext, StreamDecoder } from '../../lib/provider';
import type { WireEvent } from '../../lib/transport/sseFraming';
import type { Chunk } from '../../lib/types/chunk';
import type { ToolCallDelta } from '../../lib/types/toolCallDelta';
import { CodePointOffsets } from './codePointOffsets';
import { convertOpenAIAnnotations } from './convertOpenAIAnnotations';
import { convertOpenAIUsage } from './convertOpenAIUsage';
import { mapOpenAIFinishReason } from './mapOpenAIFinishReason';
import type { OpenAICompatibleDecoderHooks } from './openAICompatibleDecoderHooks';
import { ThinkTagSplitter } from './thinkTagSplitter';
import { ToolCallIndexer } from './toolCallIndexer';
import { unrecognizedStreamFormat } from './unrecognizedStreamFormat';
import { OpenAIWireChunk, type OpenAIWireChoice, type OpenAIWireDelta, type OpenAIWireUsage } from './wireChunk';

/**
 * The Chat Completions stream decoder shared by OpenAI and the servers that speak its format.
 * Streams the first choice (index 0). Ends at `data: [DONE]`; a body that ends after a finish
 * reason but without `[DONE]` (Perplexity, LM Studio) is complete too, one that ends before
 * either is truncated. An error inside the stream (`{"error": …}`, also embedded in an otherwise
 * normal chunk, as OpenRouter sends it) ends it with `ProviderStreamError`, after whatever that
 * chunk itself carried (text, usage) was emitted. A stream of another API (a Responses API or
 * legacy Completions stream sent here by mistake) fails at its first event with a `ParseError`
 * "unrecognized stream format" that names what came, and is not retried.
 *
 * Besides text, reasoning and tool calls it reads: tool call `arguments` sent as a JSON object (the
 * object's JSON text is the fragment), custom tool calls (`custom: { name, input }` → a call marked
 * `custom`, its free-text input as the arguments text), `url_citation` annotations (→ `citations`
 * with the `span` of the answer they support, character offsets turned into string indices) and an
 * audio answer's `transcript` (→ `content`; the audio's `id` and expiry → `metadata.audio`, its
 * `data` is not kept).
 *
 * `hooks` adapt it to a server's differences (think tags, cumulative usage, extra fields); without
 * them it decodes OpenAI's format and nothing else runs per event.
 *
 * @example
 * const decoder = createOpenAICompatibleDecoder({ provider: 'vllm', emit: (chunk) => chunks.push(chunk) });
 * decoder.onEvent({ data: '{"choices":[{"index":0,"delta":{"content":"Hi"}}]}' });
 */
export function createOpenAICompatibleDecoder<P extends OpenAIWireChunk = OpenAIWireChunk>(
  context: DecoderContext,
  hooks: OpenAICompatibleDecoderHooks<P> = {},
): StreamDecoder {
  const { provider, emit } = context;
  const codec = hooks.payload ?? (OpenAIWireChunk as unknown as NonNullable<typeof hooks.payload>);
  const splitter = hooks.thinkTags ? new ThinkTagSplitter() : undefined;
  const cumulativeUsage = hooks.cumulativeUsage === true;
  const mapExtras = hooks.createExtrasMapper?.(context);
  const mapUsageExtras = hooks.mapUsageExtras;
  const state: DeltaState = { indexer: new ToolCallIndexer(), splitter, offsets: new CodePointOffsets(), audioId: undefined };
  /** a payload of the Chat Completions format has been seen: the format check is over */
  let recognized = false;
  let id: string | undefined;
  let model: string | undefined;
  let sawFinish = false;
  let done = false;
  /** the latest running total, with `cumulativeUsage` */
  let heldUsage: OpenAIWireUsage | undefined;

  /** what is still held back (think-tag text, a running usage) goes out on one last chunk */
  const flushHeld = () => {
    const chunk: Chunk = { provider, seq: 0, bytes: 0, id, model };
    let meaningful = splitter ? splitter.flush(chunk) : false;
    if (heldUsage) {
      putUsage(chunk, heldUsage);
      heldUsage = undefined;
      meaningful = true;
    }
    if (meaningful) emit(chunk);
  };

  const putUsage = (chunk: Chunk, usage: OpenAIWireUsage) => {
    chunk.usage = convertOpenAIUsage(usage);
    if (mapUsageExtras) mapUsageExtras(usage as NonNullable<P['usage']>, chunk);
  };

  const onEvent = ({ data, event }: WireEvent) => {
    if (data === '[DONE]') {
      done = true;
      if (splitter || heldUsage) flushHeld();
      return;
    }
    const payload = decodeWirePayload(codec, data, provider);
    const hasError = payload.error !== undefined && payload.error !== null;
    const failed = hasError || event === 'error';
    if (!recognized && !failed) {
      const seen = unrecognizedStreamFormat(payload as { choices?: unknown; object?: unknown; type?: unknown });
      if (seen) {
        throw new ParseError({ provider, kind: 'schema', message: `${provider}: unrecognized stream format: the first event has ${seen}, not a Chat Completions chunk (a Responses API or legacy Completions stream?)`, raw: data });
      }
      if (payload.choices) recognized = true;
    }
    if (!id && payload.id) id = payload.id;
    if (!model && payload.model) model = payload.model;

    const chunk: Chunk = { provider, seq: 0, bytes: 0, id, model };
    let meaningful = false;
    const choice = firstChoice(payload.choices);
    if (choice) {
      const delta = choice.delta;
      if (delta) meaningful = mapDelta(delta, chunk, state);
      if (choice.finish_reason) {
        if (splitter && splitter.flush(chunk)) meaningful = true;
        chunk.finishReason = mapOpenAIFinishReason(choice.finish_reason);
        (chunk.metadata ??= {}).rawFinishReason = choice.finish_reason;
        sawFinish = meaningful = true;
      }
    }
    const usage = payload.usage;
    if (cumulativeUsage) {
      if (usage) heldUsage = usage;
      if (heldUsage && (sawFinish || failed)) {
        putUsage(chunk, heldUsage);
        heldUsage = undefined;
        meaningful = true;
      }
    } else if (usage) {
      putUsage(chunk, usage);
      meaningful = true;
    }
    if (payload.moderation !== undefined && payload.moderation !== null) {
      (chunk.metadata ??= {}).moderation = payload.moderation;
      meaningful = true;
    }
    if (mapExtras && mapExtras(payload, chunk)) meaningful = true;
    if (failed && splitter && splitter.flush(chunk)) meaningful = true;
    if (meaningful) emit(chunk);
    // an `event: error` whose data is the error itself (`{ "message", "type", "code" }`)
    if (failed) throw toProviderStreamError(provider, hasError ? payload : { error: payload });
  };

  return {
    onEvent,
    onEnd() {
      if (splitter || heldUsage) flushHeld();
      if (!sawFinish) {
        throw new StreamInterruptedError(`${provider}: the stream ended without [DONE] or a finish reason`, { provider, retryable: true });
      }
    },
    get done() {
      return done;
    },
  };
}

function firstChoice(choices: OpenAIWireChoice[] | null | undefined): OpenAIWireChoice | undefined {
  if (!choices || choices.length === 0) return undefined;
  const first = choices[0];
  if (first.index === 0 || first.index === undefined || first.index === null) return first;
  return choices.find((c) => c.index === 0);
}

/** What the mapping of deltas keeps from one delta to the next. */
interface DeltaState {
  readonly indexer: ToolCallIndexer;
  readonly splitter: ThinkTagSplitter | undefined;
  /** where the message text stands, for the offsets of annotations that come after it */
  readonly offsets: CodePointOffsets;
  /** an audio answer's id, sent once, repeated with its expiry */
  audioId: string | undefined;
}

/** Copies what a delta carries onto `chunk`; false when it carries nothing (a role-only first delta). */
function mapDelta(delta: OpenAIWireDelta, chunk: Chunk, state: DeltaState): boolean {
  const { indexer, splitter, offsets } = state;
  let meaningful = false;
  const content = delta.content;
  if (typeof content === 'string') {
    if (content) {
      offsets.push(content);
      if (splitter) meaningful = splitter.push(content, chunk);
      else {
        chunk.content = content;
        meaningful = true;
      }
    }
  } else if (content) {
    meaningful = mapContentParts(content, chunk);
  }
  if (delta.refusal) {
    // a refusal is what the model says: it streams as content, marked, so a UI shows it
    chunk.content = (chunk.content ?? '') + delta.refusal;
    (chunk.metadata ??= {}).refusal = true;
    meaningful = true;
  }
  const reasoning = delta.reasoning_content || delta.reasoning;
  if (reasoning) {
    chunk.reasoning = (chunk.reasoning ?? '') + reasoning;
    meaningful = true;
  }
  const calls = delta.tool_calls;
  if (calls && calls.length > 0) {
    const toolCalls: ToolCallDelta[] = [];
    for (let i = 0; i < calls.length; i++) {
      const wire = calls[i];
      const out: ToolCallDelta = { index: indexer.indexOf(wire.index, i, wire.id) };
      if (wire.id) out.id = wire.id;
      const fn = wire.function;
      if (fn) {
        if (fn.name) out.name = fn.name;
        const args = fn.arguments;
        // a whole arguments object (Mistral's schema allows it) is its JSON text, in one fragment
        if (args) out.argumentsDelta = typeof args === 'string' ? args : JSON.stringify(args);
      }
      const custom = wire.custom;
      if (custom || wire.type === 'custom') {
        // a custom tool: free-text input, streamed in pieces as function arguments are
        out.custom = true;
        if (custom?.name) out.name = custom.name;
        if (custom?.input) out.argumentsDelta = (out.argumentsDelta ?? '') + custom.input;
      }
      toolCalls.push(out);
    }
    chunk.toolCalls = toolCalls;
    meaningful = true;
  }
  const audio = delta.audio;
  if (audio) {
    // an audio answer: its transcript is the text; the audio itself (`data`) is not kept
    const transcript = audio.transcript;
    if (transcript) {
      offsets.push(transcript);
      chunk.content = (chunk.content ?? '') + transcript;
      meaningful = true;
    }
    if (audio.id || typeof audio.expires_at === 'number') {
      // the id comes first, the expiry last: each carries the id, so the answer's metadata keeps it
      if (audio.id) state.audioId = audio.id;
      const about: { id?: string; expiresAt?: number } = {};
      if (state.audioId) about.id = state.audioId;
      if (typeof audio.expires_at === 'number') about.expiresAt = audio.expires_at;
      (chunk.metadata ??= {}).audio = about;
      meaningful = true;
    }
  }
  const annotations = delta.annotations;
  if (annotations && annotations.length > 0) {
    const citations = convertOpenAIAnnotations(annotations, (offset) => offsets.toUtf16(offset));
    if (citations.length > 0) {
      chunk.citations = chunk.citations ? chunk.citations.concat(citations) : citations;
      meaningful = true;
    }
  }
  return meaningful;
}

/**
 * Mistral's content-part arrays: `{ type: 'text', text }` and `{ type: 'thinking', thinking: [{ type:
 * 'text', text }] }`, possibly both in one delta.
 */
function mapContentParts(parts: unknown[], chunk: Chunk): boolean {
  let text = '';
  let thinking = '';
  for (const part of parts) {
    if (typeof part === 'string') text += part;
    else if (part && typeof part === 'object') {
      const p = part as { type?: unknown; text?: unknown; thinking?: unknown };
      if (p.type === 'text' && typeof p.text === 'string') text += p.text;
      else if (p.type === 'thinking') thinking += partsText(p.thinking);
    }
  }
  if (text) chunk.content = text;
  if (thinking) chunk.reasoning = thinking;
  return Boolean(text || thinking);
}

function partsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return '';
  let out = '';
  for (const v of value) {
    if (typeof v === 'string') out += v;
    else if (v && typeof v === 'object' && typeof (v as { text?: unknown }).text === 'string') out += (v as { text: string }).text;
  }
  return out;
}
