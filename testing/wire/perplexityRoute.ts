import { cutTurn } from '../cutTurn';
import { answerFor, hashText, promptOf } from '../mockModel';
import { structuredText } from '../structuredAnswer';
import { chatJsonSchema } from './chatJsonSchema';
import type { Route, RouteInput, RouteResult } from '../route';
import { readChatRequest } from './chatRequest';
import { perplexityErrorBody, perplexityInvalidRequest } from './perplexityFaults';
import { perplexitySources } from './perplexitySources';
import { perplexityCompletion, perplexityFrames } from './perplexityWire';
import { refusedChatContent } from './contentParts';

const SEARCH_MODES = ['web', 'academic', 'sec'];
/** how many sources `perplexitySources` finds (the markers cite 1 to 3) */
const SOURCES = 3;

/**
 * Perplexity Sonar (`POST /chat/completions`, no `/v1`): `model` (`sonar-reasoning*` models think
 * in a leading `<think>` block), `messages`, `search_mode`, `stream`. Tools are ignored (Perplexity
 * does not call them). With the header `x-mock-citation-markers: 1` the text cites the sources with
 * `[n]` markers (`…sentence.[1]`, `…[2][3]`), each its own delta or cut in two (`[`, `2]`). Errors
 * have Perplexity's shape, `code` a number equal to the status.
 */
export const perplexityRoute: Route = { answer: answerPerplexity, errorBody: perplexityErrorBody, invalidRequest: perplexityInvalidRequest };

function answerPerplexity({ body, headers, answerOptions, cut }: RouteInput): RouteResult {
  const request = readChatRequest(body);
  if (request.messages.length === 0) {
    return { status: 400, json: { error: { message: 'No messages provided.', type: 'invalid_message', code: 400 } } };
  }
  const refused = refusedChatContent(body);
  if (refused !== undefined) return { status: 400, json: { error: { message: refused, type: 'invalid_message', code: 400 } } };
  const searchMode = body.search_mode ?? 'web';
  if (typeof searchMode !== 'string' || !SEARCH_MODES.includes(searchMode)) {
    return { status: 400, json: { error: { message: `Invalid search_mode: ${JSON.stringify(searchMode)}`, type: 'bad_request', code: 400 } } };
  }
  const model = request.model ?? 'sonar';
  const thinking = model.startsWith('sonar-reasoning');
  // `x-mock-citation-markers: 1`: the text cites its sources with `[n]` markers, as Perplexity's answers do
  const markers = headers['x-mock-citation-markers'] === '1';
  // structured outputs: `response_format: { type: 'json_schema', json_schema: { name, schema } }`, answered with JSON of the schema (no markers in it)
  const schema = chatJsonSchema(body);
  const structured = schema !== undefined ? (prompt: string) => structuredText(schema, prompt) : undefined;
  const options = { ...answerOptions, thinking, citations: markers && structured === undefined ? SOURCES : undefined, structured };
  const turn = answerFor(request.messages, options);
  // a continuation cites what the answer it continues cited
  const prompt = promptOf(request.messages, options);
  const hex = hashText(JSON.stringify(request.messages)).toString(16).padStart(8, '0');
  const id = `${hex}-${hex.slice(0, 4)}-4${hex.slice(1, 4)}-8${hex.slice(4, 7)}-${hex}${hex.slice(0, 4)}`;
  const wire = { turn, model, id, sources: perplexitySources(prompt, searchMode) };
  if (body.stream !== true) return { json: perplexityCompletion(wire) };
  return { ...perplexityFrames({ ...wire, turn: cutTurn(turn, cut) }), contentType: 'text/event-stream; charset=utf-8' };
}
