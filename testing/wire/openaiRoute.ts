import { answerFor, hashText } from '../mockModel';
import type { Route, RouteInput, RouteResult } from '../route';
import { numberHeader } from '../numberHeader';
import { readChatRequest } from './chatRequest';
import { mistralErrorBody } from './mistralFaults';
import { isMistralModel, mistralRoute } from './mistralRoute';
import { openaiErrorBody } from './openaiFaults';
import { openaiCompletion, openaiFrames } from './openaiWire';

/**
 * OpenAI Chat Completions: `messages` with string or text-part contents, `tools`, `stream`,
 * `stream_options`. The same path serves LM Studio's OpenAI-compatible endpoint; a request for a
 * Mistral model (`mistral-*`, `magistral-*`, …) is answered as Mistral's API would (`mistralRoute`),
 * its errors included.
 */
export const openaiRoute: Route = {
  answer: answerOpenAI,
  errorBody: (fault, input) => (isMistralRequest(input) ? mistralErrorBody(fault) : openaiErrorBody(fault)),
};

const isMistralRequest = ({ body }: RouteInput) => typeof body.model === 'string' && isMistralModel(body.model);

function answerOpenAI(input: RouteInput): RouteResult {
  const { body, headers } = input;
  if (isMistralRequest(input)) return mistralRoute.answer(input);
  const request = readChatRequest(body);
  if (request.messages.length === 0) {
    return { status: 400, json: { error: { message: "'messages' must contain at least one message.", type: 'invalid_request_error', param: 'messages', code: null } } };
  }
  const turn = answerFor(request.messages, { tools: request.tools, sentences: numberHeader(headers, 'x-mock-sentences') });
  const model = request.model ?? 'mock-model';
  const id = `chatcmpl-mock${hashText(JSON.stringify(request.messages)).toString(36)}`;
  if (body.stream !== true) return { json: openaiCompletion({ turn, model, id }) };
  const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  return { ...openaiFrames({ turn, model, id }, { usage: includeUsage ? 'chunk' : 'none' }), contentType: 'text/event-stream; charset=utf-8' };
}
