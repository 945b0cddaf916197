import { cutTurn } from '../cutTurn';
import { answerFor, type MockMessage, type MockTool } from '../mockModel';
import { structuredText } from '../structuredAnswer';
import type { Route, RouteInput, RouteResult } from '../route';
import { ollamaErrorBody, ollamaInvalidRequest } from './ollamaFaults';
import { ollamaLines, ollamaLoadLines, ollamaLoadResponse, ollamaResponse } from './ollamaWire';
import { refusedOllamaContent } from './contentParts';

/**
 * Ollama `/api/chat`: `model`, `messages`, `tools`, `think`, `options.num_predict`, `keep_alive`,
 * `format` (`"json"` or a JSON Schema: the answer is JSON, of the schema; the wording of the 400 for
 * another value is the mock's own), `stream` (true when omitted). Streams NDJSON
 * (`application/x-ndjson`); `stream: false` gets one JSON object; errors are `{"error": "…"}` with a 400.
 */
export const ollamaRoute: Route = { answer: answerOllama, errorBody: ollamaErrorBody, invalidRequest: ollamaInvalidRequest };

function answerOllama({ body, answerOptions, cut }: RouteInput): RouteResult {
  const model = body.model;
  if (typeof model !== 'string' || model === '') return { status: 400, json: { error: 'model is required' } };
  if (!Array.isArray(body.messages)) return { status: 400, json: { error: 'messages is required' } };
  const stream = body.stream !== false;
  const messages = body.messages as Array<Record<string, unknown>>;
  if (messages.length === 0) {
    const reason = body.keep_alive === 0 || body.keep_alive === '0' ? 'unload' : 'load';
    return stream ? { ...ollamaLoadLines(model, reason), contentType: 'application/x-ndjson' } : { json: ollamaLoadResponse(model, reason) };
  }
  const bad = messages.findIndex((m) => typeof m?.role !== 'string');
  if (bad !== -1) return { status: 400, json: { error: `messages[${bad}]: role is required` } };
  const refused = refusedOllamaContent(body);
  if (refused !== undefined) return { status: 400, json: { error: refused } };

  const mock: MockMessage[] = messages.map((m) => ({ role: m.role as string, content: typeof m.content === 'string' ? m.content : '' }));
  const tools: MockTool[] = Array.isArray(body.tools)
    ? (body.tools as Array<{ function?: { name?: string; parameters?: MockTool['parameters'] } }>).map((t) => ({
        name: t.function?.name ?? 'tool',
        parameters: t.function?.parameters,
      }))
    : [];
  const thinking = body.think === true || body.think === 'low' || body.think === 'medium' || body.think === 'high';
  // `format`: "json" or a JSON Schema (an object); anything else is refused
  const format = body.format;
  if (format !== undefined && format !== null && format !== '' && format !== 'json' && (typeof format !== 'object' || Array.isArray(format))) {
    return { status: 400, json: { error: `invalid format: ${JSON.stringify(format)}: expected "json" or a JSON schema` } };
  }
  // a schema: JSON of it; "json": a JSON object of the mock's own shape (the real model picks one)
  const schema = typeof format === 'object' && format !== null ? format : format === 'json' ? { type: 'object', properties: { answer: { type: 'string' } } } : undefined;
  const structured = schema !== undefined ? (prompt: string) => structuredText(schema, prompt) : undefined;
  const turn = answerFor(mock, { ...answerOptions, tools, thinking, structured });
  const numPredict = (body.options as { num_predict?: unknown } | undefined)?.num_predict;
  const wire = { turn, model, numPredict: typeof numPredict === 'number' ? numPredict : undefined };
  if (!stream) return { json: ollamaResponse(wire) };
  return { ...ollamaLines({ ...wire, turn: cutTurn(turn, cut) }), contentType: 'application/x-ndjson' };
}
