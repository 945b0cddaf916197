import { answerFor, hashText } from '../mockModel';
import type { RouteInput, RouteResult } from '../route';
import { numberHeader } from '../numberHeader';
import { readChatRequest } from './chatRequest';
import { isMistralModel, mistralRoute } from './mistralRoute';
import { openaiCompletion, openaiFrames } from './openaiWire';

/**
 * OpenAI Chat Completions: `messages` with string or text-part contents, `tools`, `stream`,
 * `stream_options`. The same path serves LM Studio's OpenAI-compatible endpoint; a request for a
 * Mistral model (`mistral-*`, `magistral-*`, …) is answered as Mistral's API would (`mistralRoute`).
 */
export function openaiRoute(input: RouteInput): RouteResult {
  const { body, headers } = input;
  const request = readChatRequest(body);
  if (request.model && isMistralModel(request.model)) return mistralRoute(input);
  if (request.messages.length === 0) {
    return { status: 400, json: { error: { message: "'messages' must contain at least one message.", type: 'invalid_request_error', param: 'messages', code: null } } };
  }
  const turn = answerFor(request.messages, { tools: request.tools, sentences: numberHeader(headers, 'x-mock-sentences') });
  const model = request.model ?? 'mock-model';
  const id = `chatcmpl-mock${hashText(JSON.stringify(request.messages)).toString(36)}`;
  if (body.stream !== true) return { json: openaiCompletion({ turn, model, id }) };
  const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  return { stream: openaiFrames({ turn, model, id }, { usage: includeUsage ? 'chunk' : 'none' }), contentType: 'text/event-stream; charset=utf-8' };
}
