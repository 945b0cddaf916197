import { answerFor, hashText, type MockMessage, type MockTool } from '../mockModel';
import type { RouteInput, RouteResult } from '../route';
import { numberHeader } from '../numberHeader';
import { openaiCompletion, openaiFrames } from './openaiWire';

/** OpenAI Chat Completions: `messages` with string or text-part contents, `tools`, `stream`, `stream_options`. */
export function openaiRoute({ body, headers }: RouteInput): RouteResult {
  const messages = Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
  if (messages.length === 0) {
    return { status: 400, json: { error: { message: "'messages' must contain at least one message.", type: 'invalid_request_error', param: 'messages', code: null } } };
  }
  const mock: MockMessage[] = messages.map((m) => ({ role: String(m.role), content: textOf(m.content) }));
  const tools: MockTool[] = Array.isArray(body.tools)
    ? (body.tools as Array<{ function?: { name?: string; parameters?: MockTool['parameters'] } }>).map((t) => ({
        name: t.function?.name ?? 'tool',
        parameters: t.function?.parameters,
      }))
    : [];
  const turn = answerFor(mock, { tools, sentences: numberHeader(headers, 'x-mock-sentences') });
  const model = typeof body.model === 'string' ? body.model : 'mock-model';
  const id = `chatcmpl-mock${hashText(JSON.stringify(mock)).toString(36)}`;
  if (body.stream !== true) return { json: openaiCompletion({ turn, model, id }) };
  const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  return { stream: openaiFrames({ turn, model, id }, includeUsage), contentType: 'text/event-stream; charset=utf-8' };
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : (p as { text?: string })?.text ?? '')).join('');
  return '';
}
