import { cutTurn } from '../cutTurn';
import { answerFor, hashText, type MockMessage, type MockTool } from '../mockModel';
import { structuredText } from '../structuredAnswer';
import type { Route, RouteInput, RouteResult } from '../route';
import { anthropicError, anthropicErrorBody } from './anthropicFaults';
import { citationKindOf } from './anthropicDocumentCitations';
import { thinkingLayoutOf } from './anthropicThinkingBlocks';
import { anthropicFrames, anthropicMessage } from './anthropicWire';
import { claudeVersion } from './claudeVersion';
import { refusedAnthropicContent } from './contentParts';
import { missingThinkingBlocks } from './missingThinkingBlocks';
import { refusedToolResults } from './anthropicToolResults';

const invalidRequest = (message: string) => anthropicError('invalid_request_error', message);
const badRequest = (message: string): RouteResult => ({ status: 400, json: invalidRequest(message) });

/** Claude 4.6 and later refuse a prefill (release notes of 2026-02-05); older models and unknown names take one. */
function refusesPrefill(model: string): boolean {
  const version = claudeVersion(model);
  return version !== undefined && (version.major > 4 || (version.major === 4 && version.minor >= 6));
}

/**
 * Anthropic Messages (`POST /v1/messages`): `anthropic-version` header, `model`, `max_tokens`,
 * `messages` (string or block contents: `text`, `tool_use`, `tool_result`), `system` (string or
 * text blocks), `tools` (`input_schema`), `thinking`, `output_config.format` (structured outputs: the
 * answer's text is JSON of its schema) and `stream`. A request the API would refuse
 * gets its 400 body, `{ type: 'error', error: { type: 'invalid_request_error', message } }` — also
 * a prefill (a last `assistant` turn): refused outright by Claude 4.6 and later ("This model does not
 * support assistant message prefill. …", see `claudeVersion`), and by older models when it ends in
 * white space — and, with thinking on, a tool result turn whose assistant turn does not start with its
 * thinking blocks (see `missingThinkingBlocks`), and `tool_use` and `tool_result` blocks that do not
 * pair up (see `refusedToolResults`; a result with `is_error: true` is read like any other). The
 * answer headers of every route shape the answer (see `answerHeaders`);
 * `x-mock-document-citations: char | page | block` makes the answer cite a document of that kind,
 * one text block per sentence (see `anthropicDocumentCitations`);
 * `x-mock-thinking-blocks: thinking,redacted_thinking,thinking` (1 to 10, comma-separated) makes an
 * answer that thinks send those blocks in that order, the reasoning shared out over the `thinking`
 * ones (see `anthropicThinkingBlocks`); another value gets a 400.
 */
export const anthropicRoute: Route = { answer: answerAnthropic, errorBody: anthropicErrorBody, invalidRequest };

function answerAnthropic({ body, headers, answerOptions, cut }: RouteInput): RouteResult {
  if (typeof headers['anthropic-version'] !== 'string') return badRequest('anthropic-version: header is required');
  if (typeof body.model !== 'string' || body.model === '') return badRequest('model: Field required');
  const maxTokens = body.max_tokens;
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) return badRequest('max_tokens: Field required');
  const messages = Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
  if (messages.length === 0) return badRequest('messages: at least one message is required');
  const bad = messages.findIndex((m) => m.role !== 'user' && m.role !== 'assistant');
  if (bad >= 0) return badRequest(`messages.${bad}.role: Input should be 'user' or 'assistant'`);
  const refused = refusedAnthropicContent(body);
  if (refused !== undefined) return badRequest(refused);
  const last = messages[messages.length - 1];
  if (last.role === 'assistant' && refusesPrefill(body.model)) {
    return badRequest('This model does not support assistant message prefill. The conversation must end with a user message.');
  }
  if (last.role === 'assistant' && /\s$/.test(textOf(last.content))) return badRequest('messages: final assistant content cannot end with trailing whitespace');

  const thinking = body.thinking as { type?: unknown; budget_tokens?: unknown } | undefined;
  const thinkingOn = thinking?.type === 'enabled' || thinking?.type === 'adaptive';
  if (thinking?.type === 'enabled') {
    const budget = thinking.budget_tokens;
    if (typeof budget !== 'number' || budget < 1024) return badRequest('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
    if (budget >= maxTokens) return badRequest('`max_tokens` must be greater than `thinking.budget_tokens`');
  }
  // with thinking, a tool result turn needs the assistant turn's thinking blocks sent back before its tool_use blocks
  const lostThinking = thinkingOn ? missingThinkingBlocks(messages) : undefined;
  if (lostThinking) return badRequest(lostThinking);
  // each tool_use answered by a tool_result in the next message, each tool_result answering one
  const unpaired = refusedToolResults(messages);
  if (unpaired) return badRequest(unpaired);

  const mock: MockMessage[] = [];
  const system = textOf(body.system);
  if (system) mock.push({ role: 'system', content: system });
  for (const m of messages) mock.push(...toMock(String(m.role), m.content));
  const tools: MockTool[] = Array.isArray(body.tools)
    ? (body.tools as Array<{ name?: string; input_schema?: MockTool['parameters'] }>).map((t) => ({ name: t.name ?? 'tool', parameters: t.input_schema }))
    : [];
  // structured outputs: `output_config.format: { type: 'json_schema', schema }` (the beta's top-level `output_format` too)
  const format = ((body.output_config as { format?: unknown } | undefined)?.format ?? body.output_format) as { type?: unknown; schema?: unknown } | null | undefined;
  if (format != null && format.type !== 'json_schema') return badRequest("output_config.format.type: Input should be 'json_schema'");
  if (format != null && (typeof format.schema !== 'object' || format.schema === null)) return badRequest('output_config.format.schema: Field required');
  const structured = format != null ? (prompt: string) => structuredText(format.schema, prompt) : undefined;
  const turn = answerFor(mock, { ...answerOptions, tools, thinking: thinkingOn, structured });
  const model = body.model;
  const id = `msg_mock${hashText(JSON.stringify(mock)).toString(36)}`;
  // `x-mock-document-citations: char | page | block`: the answer cites a document of that kind, sentence by sentence
  const citations = citationKindOf(headers['x-mock-document-citations']);
  // `x-mock-thinking-blocks: thinking,redacted_thinking,…`: the blocks the reasoning comes in
  const thinkingBlocks = thinkingLayoutOf(headers['x-mock-thinking-blocks']);
  if (typeof thinkingBlocks === 'string') return badRequest(thinkingBlocks);
  if (body.stream !== true) return { json: anthropicMessage({ turn, model, id, maxTokens, citations, thinkingBlocks }) };
  return { ...anthropicFrames({ turn: cutTurn(turn, cut), model, id, maxTokens, citations, thinkingBlocks }), contentType: 'text/event-stream; charset=utf-8' };
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
