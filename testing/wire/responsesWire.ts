import type { MockTurn } from '../mockModel';
import { tokenize } from '../mockModel';
import { textPieces } from '../textPieces';
import type { FramedStream } from '../route';
import { brokenJson } from './brokenJson';
import { responsesErrorFrame } from './responsesFaults';
import { encryptedReasoning } from './responsesReasoning';

/** One answer of the mock model and what the Responses API reports with it. */
export interface ResponsesWireTurn {
  turn: MockTurn;
  /** the model id to report */
  model: string;
  /** a stable `resp_…` id for this answer */
  id: string;
  /** the request's `max_output_tokens`: a longer answer text is cut there, and the response is `incomplete` */
  maxOutputTokens?: number;
  /** the request's settings a response object repeats (see `requestEcho`) */
  echo: Record<string, unknown>;
  /** a background response (`background: true`): its objects say so, and it is `queued` when created */
  background?: boolean;
  /** `include: ['reasoning.encrypted_content']` asked for: the reasoning item carries its `encrypted_content` */
  encryptedReasoning?: boolean;
  /** the names of the request's custom tools (`type: 'custom'`): a call of one is a `custom_tool_call`, its arguments its input text */
  customTools?: ReadonlySet<string>;
}

/** The content type of a Responses API stream. */
export const RESPONSES_STREAM_TYPE = 'text/event-stream; charset=utf-8';

/** What one answer streams, in the Responses API's terms: its output items and its usage. */
interface ResponsesPlan {
  /** the reasoning summary's pieces (one summary part) */
  summary: string[];
  /** the message's text pieces; `undefined`: no message item (an answer of tool calls only) */
  text: string[] | undefined;
  calls: Array<{ id: string; callId: string; name: string; arguments: string; custom: boolean }>;
  incomplete: boolean;
  usage: Record<string, unknown>;
}

/** A `call_…` id's item id (`fc_…`, a custom tool's `ctc_…`): the API gives a call's output item an id of its own. */
const itemIdOf = (callId: string, custom: boolean) => `${custom ? 'ctc' : 'fc'}_${callId.replace(/^call_/, '')}`;

/** Argument text in the pieces a model streams it in. */
function argumentPieces(text: string): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += 8) pieces.push(text.slice(i, i + 8));
  return pieces;
}

function planOf({ turn, maxOutputTokens, customTools }: ResponsesWireTurn): ResponsesPlan {
  const summary = tokenize(turn.reasoning);
  let text = textPieces(turn);
  let calls = turn.toolCalls.map((call) => {
    const custom = customTools?.has(call.name) === true;
    return { id: itemIdOf(call.id, custom), callId: call.id, name: call.name, arguments: call.arguments, custom };
  });
  const incomplete = maxOutputTokens !== undefined && text.length > maxOutputTokens;
  if (incomplete) {
    text = text.slice(0, maxOutputTokens);
    calls = [];
  }
  const outputTokens = summary.length + text.length + calls.reduce((n, c) => n + argumentPieces(c.arguments).length, 0);
  return {
    summary,
    // a turn of tool calls alone has no message; any other turn has one, empty or not
    text: text.length > 0 || calls.length === 0 ? text : undefined,
    calls,
    incomplete,
    usage: {
      input_tokens: turn.inputTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: summary.length },
      total_tokens: turn.inputTokens + outputTokens,
    },
  };
}

/**
 * The settings of a Responses request that its response object repeats, with the API's defaults:
 * `instructions`, `max_output_tokens`, `temperature`, `tools`, `reasoning`, `store`.
 */
export function requestEcho(body: Record<string, unknown>): Record<string, unknown> {
  return {
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    reasoning: body.reasoning ?? { effort: null, summary: null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    tools: body.tools ?? [],
  };
}

/**
 * A response object in `status` (`queued`, `in_progress`, `completed`, `incomplete` — always for
 * `max_output_tokens` here), with its `output` so far and its `usage` (`null` until it ends).
 */
function responseObject(wire: ResponsesWireTurn, status: string, output: unknown[], usage: unknown): Record<string, unknown> {
  return {
    id: wire.id,
    object: 'response',
    created_at: 1_750_000_000,
    status,
    background: wire.background === true,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    max_tool_calls: null,
    model: wire.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    service_tier: 'default',
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: 'auto',
    top_p: 1,
    truncation: 'disabled',
    usage,
    user: null,
    metadata: {},
    ...wire.echo,
  };
}

/** The output items of a finished answer, as `response.output_item.done` and the final response give them. */
function outputItems(wire: ResponsesWireTurn, plan: ResponsesPlan): Array<Record<string, unknown>> {
  const base = wire.id.replace(/^resp_/, '');
  const items: Array<Record<string, unknown>> = [];
  if (plan.summary.length > 0) {
    const reasoning: Record<string, unknown> = { id: `rs_${base}`, type: 'reasoning', summary: [{ type: 'summary_text', text: plan.summary.join('') }] };
    if (wire.encryptedReasoning) reasoning.encrypted_content = encryptedReasoning(`rs_${base}`);
    items.push(reasoning);
  }
  if (plan.text !== undefined) {
    items.push({
      id: `msg_${base}`,
      type: 'message',
      status: plan.incomplete ? 'incomplete' : 'completed',
      content: [{ type: 'output_text', annotations: [], logprobs: [], text: plan.text.join('') }],
      role: 'assistant',
    });
  }
  for (const call of plan.calls) {
    if (call.custom) items.push({ id: call.id, type: 'custom_tool_call', status: 'completed', call_id: call.callId, input: call.arguments, name: call.name });
    else items.push({ id: call.id, type: 'function_call', status: 'completed', arguments: call.arguments, call_id: call.callId, name: call.name });
  }
  return items;
}

/**
 * The frames of a Responses API stream for the answer, written from the API reference and streams
 * recorded from api.openai.com, independently of any client's parser. Every event is `event:
 * <type>` + one `data:` line with the same `type` and a `sequence_number` from 0; there is no
 * `[DONE]`. `response.created` (its response `queued` for a background response, as the API creates
 * those, else `in_progress`) and `response.in_progress`, then one output item after the other —
 * `output_item.added`, its parts, `output_item.done`:
 * - a `reasoning` item (`rs_…`) when the answer has reasoning: one summary part
 *   (`reasoning_summary_part.added`, `reasoning_summary_text.delta`…, `.done`, `reasoning_summary_part.done`);
 * - a `message` item (`msg_…`) unless the answer is only tool calls: one `output_text` part
 *   (`content_part.added`, `output_text.delta`… one per token, `output_text.done`, `content_part.done`);
 * - a `function_call` item (`fc_…`, its `call_id` the mock model's `call_…`) per tool call, its
 *   arguments in `function_call_arguments.delta` pieces, then `.done`; a custom tool's call is a
 *   `custom_tool_call` item (`ctc_…`), its input in `custom_tool_call_input.delta` pieces, then `.done`;
 *
 * and last `response.completed` with the output and the usage, or `response.incomplete`
 * (`incomplete_details.reason: 'max_output_tokens'`) when the text was cut at `maxOutputTokens`.
 * The deltas and a function call's `output_item.added` (its name and `call_id`) carry the answer;
 * the last event is terminal. The error frame is `event: error` then `response.failed`, numbered
 * where it falls (see `responsesErrorFrame`).
 */
export function responsesFrames(wire: ResponsesWireTurn): FramedStream {
  const plan = planOf(wire);
  const base = wire.id.replace(/^resp_/, '');
  const items = outputItems(wire, plan);
  const frames: string[] = [];
  const contentFrames: number[] = [];
  const event = (type: string, payload: Record<string, unknown>, content = false) => {
    if (content) contentFrames.push(frames.length);
    frames.push(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: frames.length, ...payload })}\n\n`);
  };
  const inProgress = responseObject(wire, 'in_progress', [], null);
  event('response.created', { response: wire.background ? queuedResponse(wire) : inProgress });
  event('response.in_progress', { response: inProgress });

  items.forEach((done, outputIndex) => {
    const at = { item_id: done.id, output_index: outputIndex };
    switch (done.type) {
      case 'reasoning': {
        const { encrypted_content: _sealed, ...begun } = done;
        event('response.output_item.added', { output_index: outputIndex, item: { ...begun, summary: [] } });
        const part = { ...at, summary_index: 0 };
        const text = plan.summary.join('');
        event('response.reasoning_summary_part.added', { ...part, part: { type: 'summary_text', text: '' } });
        for (const delta of plan.summary) event('response.reasoning_summary_text.delta', { ...part, delta }, true);
        event('response.reasoning_summary_text.done', { ...part, text });
        event('response.reasoning_summary_part.done', { ...part, part: { type: 'summary_text', text } });
        break;
      }
      case 'message': {
        event('response.output_item.added', { output_index: outputIndex, item: { ...done, status: 'in_progress', content: [] } });
        const part = { ...at, content_index: 0 };
        const text = (plan.text ?? []).join('');
        event('response.content_part.added', { ...part, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } });
        for (const delta of plan.text ?? []) event('response.output_text.delta', { ...part, delta, logprobs: [] }, true);
        event('response.output_text.done', { ...part, text, logprobs: [] });
        event('response.content_part.done', { ...part, part: { type: 'output_text', annotations: [], logprobs: [], text } });
        break;
      }
      case 'custom_tool_call': {
        event('response.output_item.added', { output_index: outputIndex, item: { ...done, status: 'in_progress', input: '' } }, true);
        for (const delta of argumentPieces(String(done.input))) event('response.custom_tool_call_input.delta', { ...at, delta }, true);
        event('response.custom_tool_call_input.done', { ...at, input: done.input });
        break;
      }
      default: {
        // a function call: its name and call_id come first, then its arguments
        event('response.output_item.added', { output_index: outputIndex, item: { ...done, status: 'in_progress', arguments: '' } }, true);
        for (const delta of argumentPieces(String(done.arguments))) event('response.function_call_arguments.delta', { ...at, delta }, true);
        event('response.function_call_arguments.done', { ...at, arguments: done.arguments });
      }
    }
    event('response.output_item.done', { output_index: outputIndex, item: done });
  });
  if (plan.incomplete) event('response.incomplete', { response: responseObject(wire, 'incomplete', items, plan.usage) });
  else event('response.completed', { response: responseObject(wire, 'completed', items, plan.usage) });

  const broken = JSON.stringify({ type: 'response.output_text.delta', sequence_number: 0, item_id: `msg_${base}`, output_index: 0, content_index: 0, delta: 'malformed' });
  return {
    stream: frames,
    contentFrames,
    terminalFrames: 1,
    errorFrame: responsesErrorFrame(frames.length - 1, inProgress),
    errorFrameAfter: (count) => responsesErrorFrame(count, inProgress),
    malformedFrame: `event: response.output_text.delta\ndata: ${brokenJson(broken)}\n\n`,
  };
}

/** A background response as the API answers its creation without `stream`: `queued`, no output yet. */
export function queuedResponse(wire: ResponsesWireTurn): Record<string, unknown> {
  return responseObject(wire, 'queued', [], null);
}

/** The non-streaming answer (`stream` not true): the response object as `response.completed` carries it. */
export function responsesObject(wire: ResponsesWireTurn): Record<string, unknown> {
  const plan = planOf(wire);
  return responseObject(wire, plan.incomplete ? 'incomplete' : 'completed', outputItems(wire, plan), plan.usage);
}
