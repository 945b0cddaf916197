import { answerFor, hashText, type MockMessage, type MockTool } from '../mockModel';
import { numberHeader } from '../numberHeader';
import type { Route, RouteInput, RouteResult } from '../route';
import { geminiErrorBody, geminiStatusErrorBody } from './geminiFaults';
import { geminiFrames, geminiResponses } from './geminiWire';

type Part = { text?: unknown; thought?: unknown; functionCall?: unknown; functionResponse?: { response?: unknown } };
type Content = { role?: unknown; parts?: unknown };

/**
 * Gemini `POST /v1beta/models/{model}:streamGenerateContent`: `contents` (roles `user` / `model`,
 * text, `functionCall` and `functionResponse` parts), `systemInstruction`, `tools[].functionDeclarations`
 * (`parameters` or `parametersJsonSchema`), `generationConfig` (`maxOutputTokens`,
 * `thinkingConfig.includeThoughts`). With `?alt=sse` it streams SSE; without, it answers the JSON
 * array of the same responses, as the real API does. Bad requests get Google's error body.
 */
export const geminiRoute: Route = { answer: answerGemini, errorBody: geminiStatusErrorBody };

function answerGemini({ body, headers, params, query }: RouteInput): RouteResult {
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0) {
    return { status: 400, json: geminiErrorBody(400, 'INVALID_ARGUMENT', '* GenerateContentRequest.contents: contents is not specified\n') };
  }
  const messages: MockMessage[] = [];
  const system = textOf((body.systemInstruction as Content | undefined)?.parts);
  if (system) messages.push({ role: 'system', content: system });
  for (const content of contents as Content[]) {
    if (content.role !== 'user' && content.role !== 'model' && content.role !== undefined) {
      return { status: 400, json: geminiErrorBody(400, 'INVALID_ARGUMENT', 'Please use a valid role: user, model.') };
    }
    const parts = Array.isArray(content.parts) ? (content.parts as Part[]) : [];
    if (parts.length === 0) {
      return { status: 400, json: geminiErrorBody(400, 'INVALID_ARGUMENT', '* GenerateContentRequest.contents.parts: contents.parts must not be empty.\n') };
    }
    const responses = parts.filter((p) => p.functionResponse);
    if (responses.length > 0) {
      for (const p of responses) messages.push({ role: 'tool', content: JSON.stringify(p.functionResponse?.response ?? {}) });
      continue;
    }
    messages.push({ role: content.role === 'model' ? 'assistant' : 'user', content: textOf(parts) });
  }

  const tools: MockTool[] = [];
  if (Array.isArray(body.tools)) {
    for (const tool of body.tools as Array<{ functionDeclarations?: unknown }>) {
      if (!Array.isArray(tool.functionDeclarations)) continue;
      for (const d of tool.functionDeclarations as Array<{ name?: string; parameters?: unknown; parametersJsonSchema?: unknown }>) {
        tools.push({ name: d.name ?? 'tool', parameters: (d.parametersJsonSchema ?? d.parameters) as MockTool['parameters'] });
      }
    }
  }
  const config = (body.generationConfig ?? {}) as { maxOutputTokens?: unknown; thinkingConfig?: { includeThoughts?: unknown; thinkingBudget?: unknown } };
  const thinking = config.thinkingConfig;
  const thinks = thinking !== undefined && thinking.thinkingBudget !== 0;
  const turn = answerFor(messages, { tools, thinking: thinks, sentences: numberHeader(headers, 'x-mock-sentences') });
  const responses = geminiResponses({
    turn,
    model: params.model,
    responseId: `mock${hashText(JSON.stringify(messages)).toString(36)}`,
    includeThoughts: thinking?.includeThoughts === true,
    maxOutputTokens: typeof config.maxOutputTokens === 'number' ? config.maxOutputTokens : undefined,
  });
  if (query.get('alt') !== 'sse') return { json: responses };
  return { ...geminiFrames(responses), contentType: 'text/event-stream' };
}

function textOf(parts: unknown): string {
  if (!Array.isArray(parts)) return '';
  let text = '';
  for (const p of parts as Part[]) if (typeof p?.text === 'string' && p.thought !== true) text += p.text;
  return text;
}
