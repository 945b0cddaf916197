import type { MockTurn } from '../mockModel';
import { tokenize } from '../mockModel';
import { textPieces } from '../textPieces';
import type { FramedStream } from '../route';
import { ANTHROPIC_ERROR_FRAME } from './anthropicFaults';
import { anthropicDocumentCitations, type AnthropicCitationKind } from './anthropicDocumentCitations';
import { anthropicThinkingBlocks, type AnthropicThinkingKind, type MockThinkingBlock } from './anthropicThinkingBlocks';
import { brokenJson } from './brokenJson';

/** One answer of the mock model and what the Anthropic wire reports with it. */
export interface AnthropicWireTurn {
  turn: MockTurn;
  /** the model id to report */
  model: string;
  /** a stable `msg_…` id for this answer */
  id: string;
  /** the request's `max_tokens`: a longer answer is cut there and stops with `max_tokens` */
  maxTokens?: number;
  /** the text cites document 0, one text block per sentence (see `anthropicDocumentCitations`) */
  citations?: AnthropicCitationKind;
  /** the blocks the reasoning comes in, in order (see `anthropicThinkingBlocks`); one `thinking` block when absent */
  thinkingBlocks?: readonly AnthropicThinkingKind[];
}

/** What one answer streams, in the Messages API's terms. */
interface AnthropicPlan {
  thinking: string[];
  /** the reasoning's blocks: none without reasoning */
  thinkingBlocks: MockThinkingBlock[];
  text: string[];
  toolUses: Array<{ id: string; name: string; pieces: string[] }>;
  stopReason: 'end_turn' | 'tool_use' | 'max_tokens';
  inputTokens: number;
  outputTokens: number;
}

/** A thinking block's signature: the `n`-th thinking block's (from 0) of answer `id`, after `pieces` deltas when streamed. */
const signatureOf = (id: string, n: number, pieces?: number) =>
  Buffer.from(`mock-thinking-signature:${id}${pieces === undefined ? '' : `:${pieces}`}${n > 0 ? `:${n}` : ''}`).toString('base64');

/** Anthropic tool ids start with `toolu_`. */
const toolUseId = (id: string) => `toolu_${id.replace(/^call_/, '')}`;

function planOf({ turn, maxTokens, id, thinkingBlocks: layout }: AnthropicWireTurn): AnthropicPlan {
  const thinking = tokenize(turn.reasoning);
  const thinkingBlocks = thinking.length > 0 ? anthropicThinkingBlocks(thinking, layout ?? ['thinking'], id) : [];
  let text = textPieces(turn);
  let stopReason: AnthropicPlan['stopReason'] = turn.finishReason === 'tool_calls' ? 'tool_use' : 'end_turn';
  let toolUses = turn.toolCalls.map((call) => {
    const pieces: string[] = [];
    for (let i = 0; i < call.arguments.length; i += 8) pieces.push(call.arguments.slice(i, i + 8));
    return { id: toolUseId(call.id), name: call.name, pieces };
  });
  if (maxTokens !== undefined && text.length > maxTokens) {
    text = text.slice(0, maxTokens);
    toolUses = [];
    stopReason = 'max_tokens';
  }
  const outputTokens = thinking.length + text.length + toolUses.reduce((n, t) => n + t.pieces.length, 0);
  return { thinking, thinkingBlocks, text, toolUses, stopReason, inputTokens: turn.inputTokens, outputTokens: Math.max(outputTokens, 1) };
}

/**
 * The frames of an Anthropic Messages stream for `turn`, written from the API's streaming
 * documentation and recorded streams, independently of the client's parser: `message_start`, a
 * `thinking` block (thinking deltas, then a `signature_delta`) when the turn has reasoning — or the
 * `thinking` and `redacted_thinking` blocks `thinkingBlocks` names (a redacted one whole in its
 * `content_block_start`, no delta) — a
 * `text` block (with `citations` one per sentence, each opened by a `citations_delta`), one `tool_use` block per call (an empty `input_json_delta` first, then pieces of
 * the JSON), a `ping` after the first block starts, `message_delta` with the stop reason and the
 * cumulative usage, and `message_stop`. Every event is `event: <type>` + one `data:` line; like
 * the real API, payloads are padded with spaces before their closing brace. The
 * `content_block_delta` events carry the answer; `message_delta` and `message_stop` are terminal.
 */
export function anthropicFrames(wire: AnthropicWireTurn): FramedStream {
  const plan = planOf(wire);
  const frames: string[] = [];
  const contentFrames: number[] = [];
  const event = (type: string, payload: Record<string, unknown>) => {
    const json = JSON.stringify({ type, ...payload });
    const padding = ' '.repeat((frames.length * 7) % 13);
    if (type === 'content_block_delta') contentFrames.push(frames.length);
    frames.push(`event: ${type}\ndata: ${json.slice(0, -1)}${padding}}\n\n`);
  };
  const ping = () => frames.push('event: ping\ndata: {"type": "ping"}\n\n');

  event('message_start', {
    message: {
      model: wire.model,
      id: wire.id,
      type: 'message',
      role: 'assistant',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: plan.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1, service_tier: 'standard' },
    },
  });
  let index = 0;
  const block = (start: Record<string, unknown>, deltas: Array<Record<string, unknown>>) => {
    event('content_block_start', { index, content_block: start });
    if (index === 0) ping();
    for (const delta of deltas) event('content_block_delta', { index, delta });
    event('content_block_stop', { index });
    index++;
  };
  let signed = 0;
  for (const thought of plan.thinkingBlocks) {
    if (thought.type === 'redacted_thinking') block({ type: 'redacted_thinking', data: thought.data }, []);
    else {
      block({ type: 'thinking', thinking: '', signature: '' }, [
        ...thought.pieces.map((thinking) => ({ type: 'thinking_delta', thinking })),
        { type: 'signature_delta', signature: signatureOf(wire.id, signed++, thought.pieces.length) },
      ]);
    }
  }
  if (plan.text.length > 0 && wire.citations) {
    for (const part of anthropicDocumentCitations(plan.text.join(''), wire.citations)) {
      block({ citations: [], type: 'text', text: '' }, [
        { type: 'citations_delta', citation: part.citation },
        ...tokenize(part.text).map((text) => ({ type: 'text_delta', text })),
      ]);
    }
  } else if (plan.text.length > 0) {
    block({ type: 'text', text: '' }, plan.text.map((text) => ({ type: 'text_delta', text })));
  }
  for (const tool of plan.toolUses) {
    block({ type: 'tool_use', id: tool.id, name: tool.name, input: {} }, [
      { type: 'input_json_delta', partial_json: '' },
      ...tool.pieces.map((partial_json) => ({ type: 'input_json_delta', partial_json })),
    ]);
  }
  event('message_delta', {
    delta: { stop_reason: plan.stopReason, stop_sequence: null },
    usage: { input_tokens: plan.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: plan.outputTokens },
  });
  event('message_stop', {});
  const broken = JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'malformed' } });
  return {
    stream: frames,
    contentFrames,
    terminalFrames: 2,
    errorFrame: ANTHROPIC_ERROR_FRAME,
    malformedFrame: `event: content_block_delta\ndata: ${brokenJson(broken)}\n\n`,
  };
}

/** The non-streaming answer (`stream` not true): one `message` object. */
export function anthropicMessage(wire: AnthropicWireTurn): Record<string, unknown> {
  const plan = planOf(wire);
  const content: Array<Record<string, unknown>> = [];
  let signed = 0;
  for (const thought of plan.thinkingBlocks) {
    content.push(thought.type === 'redacted_thinking' ? { ...thought } : { type: 'thinking', thinking: thought.pieces.join(''), signature: signatureOf(wire.id, signed++) });
  }
  if (plan.text.length > 0 && wire.citations) {
    for (const part of anthropicDocumentCitations(plan.text.join(''), wire.citations)) content.push({ type: 'text', text: part.text, citations: [part.citation] });
  } else if (plan.text.length > 0) content.push({ type: 'text', text: plan.text.join('') });
  for (const tool of plan.toolUses) content.push({ type: 'tool_use', id: tool.id, name: tool.name, input: JSON.parse(tool.pieces.join('') || '{}') });
  return {
    model: wire.model,
    id: wire.id,
    type: 'message',
    role: 'assistant',
    content,
    stop_reason: plan.stopReason,
    stop_sequence: null,
    usage: { input_tokens: plan.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: plan.outputTokens },
  };
}
