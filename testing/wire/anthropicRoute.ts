import { answerFor, hashText, type MockMessage, type MockTool } from '../mockModel';
import { numberHeader } from '../numberHeader';
import type { Route, RouteInput, RouteResult } from '../route';
import { anthropicError, anthropicErrorBody } from './anthropicFaults';
import { anthropicFrames, anthropicMessage } from './anthropicWire';

const badRequest = (message: string): RouteResult => ({ status: 400, json: anthropicError('invalid_request_error', message) });

/**
 * Anthropic Messages (`POST /v1/messages`): `anthropic-version` header, `model`, `max_tokens`,
 * `messages` (string or block contents: `text`, `tool_use`, `tool_result`), `system` (string or
 * text blocks), `tools` (`input_schema`), `thinking` and `stream`. A request the API would refuse
 * gets its 400 body, `{ type: 'error', error: { type: 'invalid_request_error', message } }` — also
 * a prefill (a last `assistant` turn) that ends in white space, which the API refuses. Headers
 * `x-mock-sentences: N` (answer length) and `x-mock-repeat: N` (an answer stuck in a loop) shape the answer.
 */
export const anthropicRoute: Route = { answer: answerAnthropic, errorBody: anthropicErrorBody };

function answerAnthropic({ body, headers }: RouteInput): RouteResult {
  if (typeof headers['anthropic-version'] !== 'string') return badRequest('anthropic-version: header is required');
  if (typeof body.model !== 'string' || body.model === '') return badRequest('model: Field required');
  const maxTokens = body.max_tokens;
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) return badRequest('max_tokens: Field required');
  const messages = Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
  if (messages.length === 0) return badRequest('messages: at least one message is required');
  const bad = messages.findIndex((m) => m.role !== 'user' && m.role !== 'assistant');
  if (bad >= 0) return badRequest(`messages.${bad}.role: Input should be 'user' or 'assistant'`);
  const last = messages[messages.length - 1];
  if (last.role === 'assistant' && /\s$/.test(textOf(last.content))) return badRequest('messages: final assistant content cannot end with trailing whitespace');

  const thinking = body.thinking as { type?: unknown; budget_tokens?: unknown } | undefined;
  const thinkingOn = thinking?.type === 'enabled' || thinking?.type === 'adaptive';
  if (thinking?.type === 'enabled') {
    const budget = thinking.budget_tokens;
    if (typeof budget !== 'number' || budget < 1024) return badRequest('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
    if (budget >= maxTokens) return badRequest('`max_tokens` must be greater than `thinking.budget_tokens`');
  }

  const mock: MockMessage[] = [];
  const system = textOf(body.system);
  if (system) mock.push({ role: 'system', content: system });
  for (const m of messages) mock.push(...toMock(String(m.role), m.content));
  const tools: MockTool[] = Array.isArray(body.tools)
    ? (body.tools as Array<{ name?: string; input_schema?: MockTool['parameters'] }>).map((t) => ({ name: t.name ?? 'tool', parameters: t.input_schema }))
    : [];
  const turn = answerFor(mock, {
    tools,
    thinking: thinkingOn,
    sentences: numberHeader(headers, 'x-mock-sentences'),
    // `x-mock-repeat: N`: a degenerate answer that repeats one sentence N times
    repeat: numberHeader(headers, 'x-mock-repeat'),
  });
  const model = body.model;
  const id = `msg_mock${hashText(JSON.stringify(mock)).toString(36)}`;
  if (body.stream !== true) return { json: anthropicMessage({ turn, model, id, maxTokens }) };
  return { ...anthropicFrames({ turn, model, id, maxTokens }), contentType: 'text/event-stream; charset=utf-8' };
}

/** A Messages turn as the mock model's messages: its tool results (role `tool`) first, then its text. */
function toMock(role: string, content: unknown): MockMessage[] {
  if (!Array.isArray(content)) return [{ role, content: textOf(content) }];
  const out: MockMessage[] = [];
  for (const block of content as Array<Record<string, unknown>>) {
    if (block?.type === 'tool_result') out.push({ role: 'tool', content: textOf(block.content) });
  }
  const text = textOf(content);
  if (text || out.length === 0) out.push({ role, content: text });
  return out;
}

/** The text of a string or of the `text` blocks of a block array. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b) => (typeof b === 'string' ? b : (b as { type?: string; text?: string })?.type === 'text' ? ((b as { text?: string }).text ?? '') : ''))
    .join('');
}
