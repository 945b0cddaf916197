import { decodeWirePayload } from '../../lib/decodeWirePayload';
import { ParseError } from '../../lib/errors/parseError';
import { StreamInterruptedError } from '../../lib/errors/streamInterruptedError';
import type { DecoderContext, StreamDecoder } from '../../lib/provider';
import { toProviderStreamError } from '../../lib/toProviderStreamError';
import type { WireEvent } from '../../lib/transport/sseFraming';
import type { Chunk } from '../../lib/types/chunk';
import type { Citation } from '../../lib/types/citation';
import type { FinishReason } from '../../lib/types/finishReason';
import type { ThinkingBlock } from '../../lib/types/thinkingBlock';
import type { ToolCallDelta } from '../../lib/types/toolCallDelta';
import { resumedFrom, toResponsesToken } from './continueResponsesFrom';
import { convertResponsesUsage } from './convertResponsesUsage';
import { ResponsesWireEvent } from './wireEvent';
import { CodePointOffsets } from '../openai-compatible/codePointOffsets';

type Fields = Record<string, unknown>;

/** `incomplete_details.reason` → finish reason; another reason is `other` */
const INCOMPLETE: Record<string, FinishReason> = { max_output_tokens: 'length', content_filter: 'content_filter' };

/**
 * The Responses API stream decoder (`POST {base}/responses`, `stream: true`).
 *
 * - `response.output_text.delta` → `content`; `response.refusal.delta` → `content` marked
 *   `metadata.refusal`, as for Chat Completions.
 * - `response.reasoning_summary_text.delta` (OpenAI's reasoning summaries) and
 *   `response.reasoning_text.delta` (the raw reasoning of open-weight servers: LM Studio, DeepSeek,
 *   gpt-oss) → `reasoning`; two pieces (summary parts, reasoning items) are separated by a blank
 *   line, as the `openai` package joins them.
 * - A `function_call` output item is a tool call: its `call_id` is the `id` the next request
 *   answers (`item.id`, another, `fc_…` id, is its `itemId`), its argument text streams in
 *   `response.function_call_arguments.delta`; a server that sends the arguments only whole (on
 *   `.done` or `response.output_item.done`) has them emitted then. A `custom_tool_call` item is a
 *   call of a custom tool (`custom: true`), its free-text input streaming in
 *   `response.custom_tool_call_input.delta` — when the request declared that custom tool (or is not
 *   known: a resumed stream's `GET`). Any other is the server's own tool at work (xAI's built-in X
 *   search streams its calls so, then answers), skipped as hosted tools' events are.
 * - A `reasoning` output item, once the item after it begins, joins `metadata.thinkingBlocks` (its
 *   id, summary texts, `encrypted_content` and the id of that next item), for `toAssistantMessage`
 *   to send back: the API pairs a reasoning item with the item that followed it.
 * - `url_citation` annotations → `citations`.
 * - The stream ends at `response.completed` (`stop`, or `tool_calls` when a function call was
 *   in the answer) or `response.incomplete` (`length` for `max_output_tokens`, `content_filter`,
 *   else `other`), with the usage; `metadata.rawFinishReason` is the status (`completed`,
 *   `incomplete:<reason>`). There is no `[DONE]` (one is ignored where a server sends it). An
 *   `error` event or `response.failed` ends it with `ProviderStreamError`.
 * - Every other event — the lifecycle, part boundaries, hosted tools (`response.web_search_call.*`,
 *   `response.code_interpreter_call.*`, `response.mcp_*`, …), types added later — is skipped.
 *   The type is read from the payload, so data-only frames (Bedrock's) read the same.
 *
 * A background response (`background: true` in the body, seen on `response.created`) can be
 * streamed again from any event: each of its chunks carries `metadata.continuationToken`
 * (`<response id>@<sequence_number>`), from which recovery resumes exactly
 * (`continueResponsesFrom`); a resumed stream knows its response from its request.
 *
 * A body that ends before `response.completed`, `response.incomplete` or a failure was cut short
 * (`StreamInterruptedError`). Output items are told apart by `output_index` (by `item_id` where
 * a server sends none): GitHub Copilot's Responses API gives every event a new item id.
 */
export function createResponsesDecoder(context: DecoderContext): StreamDecoder {
  const { provider, emit } = context;
  // a resumed stream (GET …?starting_after=) starts after the response's first events: its id comes from the request
  const resumed = resumedFrom(context.request);
  let id: string | undefined = resumed?.responseId;
  let model: string | undefined;
  let done = false;
  /** a background response's id: its chunks carry checkpoints to resume from */
  let background: string | undefined = resumed?.responseId;
  /** the `sequence_number` of the event being decoded */
  let sequence: number | undefined;
  /** function and custom tool calls by output item, in the order they began */
  const calls = new Map<string | number, { index: number; text: string; custom: boolean }>();
  /** the reasoning items so far, and the last one while the item after it has not begun */
  const reasoningItems: ThinkingBlock[] = [];
  let unpaired: Extract<ThinkingBlock, { type: 'reasoning' }> | undefined;
  /** the reasoning piece (item and part) streaming now, and whether a separator is owed before the next text */
  let reasoningPiece: string | undefined;
  let reasoningShown = false;
  let separatorOwed = false;
  /** the answer's length so far, and each output text part's start in it with its code points (annotations count them within the part) */
  let contentLength = 0;
  const textParts = new Map<string, { start: number; offsets: CodePointOffsets }>();
  let lastPart: { key: string; part: { start: number; offsets: CodePointOffsets } } | undefined;
  const partKey = (event: ResponsesWireEvent) => `${event.item_id ?? event.output_index}:${String(event.content_index ?? 0)}`;

  const newChunk = (): Chunk => {
    const chunk: Chunk = { provider, seq: 0, bytes: 0 };
    if (id !== undefined) chunk.id = id;
    if (model !== undefined) chunk.model = model;
    if (background !== undefined && sequence !== undefined) chunk.metadata = { continuationToken: toResponsesToken({ responseId: background, sequenceNumber: sequence }) };
    return chunk;
  };

  /** a field an event type must carry as text: a `ParseError` names it when it does not */
  const text = (event: ResponsesWireEvent, name: string, data: string): string => {
    const value = event[name];
    if (typeof value === 'string') return value;
    throw new ParseError({ provider, kind: 'schema', message: `${provider}: ${event.type} without a text ${name} (got ${JSON.stringify(value) ?? 'undefined'})`, raw: data });
  };
  const record = (value: unknown): Fields | undefined => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : undefined);
  const itemKey = (event: ResponsesWireEvent): string | number | undefined => event.output_index ?? event.item_id;
  /** the custom tools the request declared (`undefined`: the request is not known); the items of the server's own calls */
  const body = record(context.request?.body);
  const customTools = body && new Set((Array.isArray(body.tools) ? body.tools : []).flatMap((tool) => (record(tool)?.type === 'custom' ? [record(tool)!.name] : [])));
  const serverCalls = new Set<string | number | undefined>();

  const lifecycle = (response: Fields | undefined) => {
    if (!response) return;
    if (id === undefined && typeof response.id === 'string' && response.id) id = response.id;
    if (model === undefined && typeof response.model === 'string' && response.model) model = response.model;
    if (background === undefined && response.background === true && typeof response.id === 'string' && response.id) background = response.id;
  };

  /** an output text part's delta: where the part's text lies in the answer, for its annotations' spans */
  const trackText = (event: ResponsesWireEvent, delta: string) => {
    const key = partKey(event);
    if (lastPart?.key !== key) {
      let part = textParts.get(key);
      if (!part) textParts.set(key, (part = { start: contentLength, offsets: new CodePointOffsets() }));
      lastPart = { key, part };
    }
    lastPart.part.offsets.push(delta);
  };

  const onContent = (delta: string, refusal: boolean) => {
    if (!delta) return;
    contentLength += delta.length;
    const chunk = newChunk();
    chunk.content = delta;
    if (refusal) (chunk.metadata ??= {}).refusal = true;
    emit(chunk);
  };

  const onReasoning = (delta: string, piece: string) => {
    if (piece !== reasoningPiece) {
      reasoningPiece = piece;
      separatorOwed = reasoningShown;
    }
    if (!delta) return;
    const chunk = newChunk();
    chunk.reasoning = separatorOwed ? `\n\n${delta}` : delta;
    separatorOwed = false;
    reasoningShown = true;
    emit(chunk);
  };

  /** a function call (or a custom tool's) begins: its ids and name, and its arguments when the item already holds them */
  const beginCall = (key: string | number | undefined, item: Fields) => {
    const custom = item.type === 'custom_tool_call';
    const call = { index: calls.size, text: '', custom };
    calls.set(key ?? `unkeyed:${calls.size}`, call);
    const chunk = newChunk();
    const delta: ToolCallDelta = { index: call.index };
    if (typeof item.call_id === 'string') delta.id = item.call_id;
    if (typeof item.name === 'string') delta.name = item.name;
    if (typeof item.id === 'string' && item.id) delta.itemId = item.id;
    if (custom) delta.custom = true;
    const whole = custom ? item.input : item.arguments;
    if (typeof whole === 'string' && whole) {
      delta.argumentsDelta = whole;
      call.text = whole;
    }
    chunk.toolCalls = [delta];
    emit(chunk);
    return call;
  };

  /** argument text; a call whose output item never came (a server that sends none) is begun here */
  const onArguments = (key: string | number | undefined, delta: string, custom = false) => {
    const call = (key === undefined ? undefined : calls.get(key)) ?? beginCall(key, custom ? { type: 'custom_tool_call' } : {});
    if (!delta) return;
    call.text += delta;
    const chunk = newChunk();
    chunk.toolCalls = [call.custom ? { index: call.index, argumentsDelta: delta, custom: true } : { index: call.index, argumentsDelta: delta }];
    emit(chunk);
  };

  /** the whole argument text: what the deltas did not bring is emitted (all of it, when none came) */
  const onArgumentsDone = (key: string | number | undefined, whole: unknown) => {
    const call = key === undefined ? undefined : calls.get(key);
    if (!call || typeof whole !== 'string' || whole === call.text || !whole.startsWith(call.text)) return;
    onArguments(key, whole.slice(call.text.length));
  };

  /** a reasoning item is whole: it is kept until the item after it begins (`onItemAdded`) */
  const onReasoningItem = (item: Fields) => {
    if (typeof item.id !== 'string' || !item.id) return;
    const summary = Array.isArray(item.summary) ? item.summary.flatMap((part) => (typeof record(part)?.text === 'string' ? [record(part)!.text as string] : [])) : [];
    unpaired = { type: 'reasoning', id: item.id, summary };
    if (typeof item.encrypted_content === 'string' && item.encrypted_content) unpaired.encryptedContent = item.encrypted_content;
  };

  /** an output item begins: the reasoning item before it, if any, is paired with it and reported */
  const onItemAdded = (item: Fields) => {
    if (!unpaired || typeof item.id !== 'string' || !item.id) return;
    unpaired.followedBy = item.id;
    reasoningItems.push(unpaired);
    unpaired = undefined;
    const chunk = newChunk();
    (chunk.metadata ??= {}).thinkingBlocks = reasoningItems.slice();
    emit(chunk);
  };

  /**
   * A `url_citation` annotation → a citation; its `start_index` / `end_index` count characters (code
   * points, read as for Chat Completions) within its output text part, so the span is that part's
   * start in the answer plus the string indices of those offsets — none when the part's text did not
   * all stream here (a resumed stream begins mid-answer, so its offsets cannot be placed).
   */
  const onAnnotation = (event: ResponsesWireEvent, annotation: Fields | undefined) => {
    if (!annotation || annotation.type !== 'url_citation' || typeof annotation.url !== 'string') return;
    const citation: Citation = { url: annotation.url };
    if (typeof annotation.title === 'string' && annotation.title) citation.title = annotation.title;
    const part = resumed === undefined ? textParts.get(partKey(event)) : undefined;
    const { start_index: from, end_index: to } = annotation;
    if (part && typeof from === 'number' && typeof to === 'number' && from >= 0 && to >= from) {
      citation.span = { start: part.start + part.offsets.toUtf16(from), end: part.start + part.offsets.toUtf16(to) };
    }
    const chunk = newChunk();
    chunk.citations = [citation];
    emit(chunk);
  };

  /** `response.completed` or `response.incomplete`: the finish reason and the usage, on one last chunk */
  const onEnd = (response: Fields | undefined, finishReason: FinishReason, raw: string) => {
    lifecycle(response);
    const chunk = newChunk();
    chunk.finishReason = finishReason;
    (chunk.metadata ??= {}).rawFinishReason = raw;
    const usage = record(response?.usage);
    if (usage) chunk.usage = convertResponsesUsage(usage);
    done = true;
    emit(chunk);
  };

  /** a call for the client to answer: a function call, or a call of a custom tool the request declared */
  const isCall = (item: Fields | undefined): boolean =>
    item?.type === 'function_call' || (item?.type === 'custom_tool_call' && (customTools === undefined || customTools.has(item.name)));
  const hasFunctionCall = (response: Fields | undefined) => calls.size > 0 || (Array.isArray(response?.output) && response.output.some((item) => isCall(record(item))));

  const onEvent = ({ data }: WireEvent) => {
    // openai-node's stream snapshot and vercel's test helper end with one; the API itself sends none
    if (data === '[DONE]') return;
    const event = decodeWirePayload(ResponsesWireEvent, data, provider) as ResponsesWireEvent;
    sequence = event.sequence_number;
    switch (event.type) {
      case 'response.created':
      case 'response.queued':
      case 'response.in_progress':
        lifecycle(record(event.response));
        return;
      case 'response.output_text.delta': {
        const delta = text(event, 'delta', data);
        if (delta) trackText(event, delta);
        onContent(delta, false);
        return;
      }
      case 'response.refusal.delta':
        onContent(text(event, 'delta', data), true);
        return;
      case 'response.reasoning_summary_text.delta':
        onReasoning(text(event, 'delta', data), `${event.item_id ?? event.output_index}:summary:${String(event.summary_index)}`);
        return;
      case 'response.reasoning_text.delta':
        onReasoning(text(event, 'delta', data), `${event.item_id ?? event.output_index}:text:${String(event.content_index)}`);
        return;
      case 'response.output_item.added': {
        const item = record(event.item);
        if (!item) return;
        onItemAdded(item);
        if (isCall(item)) beginCall(itemKey(event), item);
        else if (item.type === 'custom_tool_call') serverCalls.add(itemKey(event));
        return;
      }
      case 'response.function_call_arguments.delta':
        onArguments(itemKey(event), text(event, 'delta', data));
        return;
      case 'response.custom_tool_call_input.delta':
        if (!serverCalls.has(itemKey(event))) onArguments(itemKey(event), text(event, 'delta', data), true);
        return;
      case 'response.function_call_arguments.done':
        onArgumentsDone(itemKey(event), event.arguments);
        return;
      case 'response.custom_tool_call_input.done':
        onArgumentsDone(itemKey(event), event.input);
        return;
      case 'response.output_item.done': {
        const item = record(event.item);
        if (item?.type === 'reasoning') onReasoningItem(item);
        if (!item || !isCall(item)) return;
        const key = itemKey(event);
        if (key === undefined || !calls.has(key)) beginCall(key, item);
        else onArgumentsDone(key, item.type === 'custom_tool_call' ? item.input : item.arguments);
        return;
      }
      case 'response.output_text.annotation.added':
        onAnnotation(event, record(event.annotation));
        return;
      case 'response.completed': {
        const response = record(event.response);
        onEnd(response, hasFunctionCall(response) ? 'tool_calls' : 'stop', 'completed');
        return;
      }
      case 'response.incomplete': {
        const response = record(event.response);
        const reason = record(response?.incomplete_details)?.reason;
        const known = typeof reason === 'string' ? reason : 'unknown';
        onEnd(response, INCOMPLETE[known] ?? 'other', `incomplete:${known}`);
        return;
      }
      case 'response.failed':
        done = true;
        throw toProviderStreamError(provider, { error: record(event.response)?.error ?? event.response });
      case 'error': {
        done = true;
        // the error nested under `error` (api.openai.com), or its fields on the event itself
        const nested = record(event.error);
        throw toProviderStreamError(provider, nested ? { ...event, error: nested } : { ...event, error: { message: event.message, code: event.code, type: event.code } });
      }
      default:
        return;
    }
  };

  return {
    onEvent,
    onEnd() {
      if (!done) {
        throw new StreamInterruptedError(`${provider}: the stream ended before response.completed`, { provider, retryable: true });
      }
    },
    get done() {
      return done;
    },
  };
}
