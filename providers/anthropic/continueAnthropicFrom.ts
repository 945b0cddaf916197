import type { HttpRequest } from '../../lib/transport/httpRequest';
import type { AnthropicTurnBlock } from './assistantTurnRecorder';

/**
 * How many times in a row a paused turn (`stop_reason: "pause_turn"`) is sent again to let it go on;
 * the pause after that ends the answer with finish `other` (`rawFinishReason: 'pause_turn'`). The
 * server pauses a long server tool loop after some iterations (10 by default), so 5 continuations
 * let a turn run six requests' worth of server tool calls; each request is billed.
 */
export const ANTHROPIC_MAX_PAUSE_CONTINUATIONS = 5;

/** A turn paused by the server: how many pauses so far, and the assistant turn's blocks to send again. */
export interface PausedTurn {
  pauses: number;
  content: AnthropicTurnBlock[];
}

/** The requests made to continue a paused turn, and the turn each continues (for the decoder of its stream). */
const continued = new WeakMap<HttpRequest, PausedTurn>();

/**
 * The token of a paused turn (`metadata.continuationToken`): the turn as JSON.
 *
 * @example
 * toPausedTurnToken({ pauses: 1, content: [{ type: 'text', text: 'Searching.' }] }); // '{"pauses":1,"content":[{"type":"text","text":"Searching."}]}'
 */
export const toPausedTurnToken = (turn: PausedTurn): string => JSON.stringify(turn);

/**
 * The paused turn a request continues (`continueAnthropicFrom` made it), or `undefined` for any other request.
 *
 * @example
 * pausedTurnOf(continueAnthropicFrom(request, token)); // { pauses: 1, content: [ … ] }
 * pausedTurnOf(request); // undefined
 */
export const pausedTurnOf = (request: HttpRequest | undefined): PausedTurn | undefined => (request ? continued.get(request) : undefined);

/**
 * The same Messages request with the paused assistant turn appended, for the API to let it go on
 * (Anthropic: "you may provide the response back as-is in a subsequent request to let the model
 * continue"). `request` is the request that started the answer; the token holds the whole turn so
 * far (every hop's blocks: the decoder of a continued stream puts the blocks it continues before
 * its own), so each hop sends the conversation once, with one assistant turn at its end. A token
 * it did not make is refused (`TypeError`): that is a bug, not a condition of the stream.
 *
 * @example
 * continueAnthropicFrom(request, '{"pauses":1,"content":[{"type":"server_tool_use",…},{"type":"web_search_tool_result",…}]}').body.messages.at(-1);
 * // { role: 'assistant', content: [{ type: 'server_tool_use', … }, { type: 'web_search_tool_result', … }] }
 */
export function continueAnthropicFrom(request: HttpRequest, token: string): HttpRequest {
  const turn = fromPausedTurnToken(token);
  if (!turn) throw new TypeError('anthropic: a continuation token that is not a paused turn');
  const body = request.body as { messages?: unknown[] } & Record<string, unknown>;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const next: HttpRequest = { ...request, body: { ...body, messages: [...messages, { role: 'assistant', content: turn.content }] } };
  continued.set(next, turn);
  return next;
}

function fromPausedTurnToken(token: string): PausedTurn | undefined {
  try {
    const value = JSON.parse(token) as Partial<PausedTurn> | null;
    if (value && Number.isInteger(value.pauses) && Array.isArray(value.content)) return { pauses: value.pauses!, content: value.content };
  } catch {
    // not a paused turn's token
  }
  return undefined;
}

/**
 * Whether the answer to a request can pause (`pause_turn`): the server runs a tool loop of its own
 * when the request names a server tool (a `tools` entry with a `type`, such as `web_search_20250305`)
 * or MCP servers, or when it continues a paused turn. Only then does the decoder record the turn.
 *
 * @example
 * canPause({ url, method: 'POST', headers, body: { tools: [{ type: 'web_search_20250305', name: 'web_search' }] } }); // true
 * canPause({ url, method: 'POST', headers, body: { tools: [{ name: 'get_weather', input_schema }] } }); // false
 */
export function canPause(request: HttpRequest | undefined): boolean {
  if (!request) return false;
  if (continued.has(request)) return true;
  const body = request.body as { tools?: unknown; mcp_servers?: unknown } | undefined;
  if (Array.isArray(body?.mcp_servers) && body.mcp_servers.length > 0) return true;
  return Array.isArray(body?.tools) && body.tools.some((tool) => typeof (tool as { type?: unknown } | null)?.type === 'string' && (tool as { type: string }).type !== 'custom');
}
