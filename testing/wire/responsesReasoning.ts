import type { RouteResult } from '../route';
import type { MemorySlot } from '../serverMemory';
import { responsesBadRequest } from './responsesErrors';

type Item = Record<string, unknown>;

/**
 * The reasoning items a mock server streamed: by id, the id of the output item that followed each
 * (a `msg_…` or `fc_…` id), and the other way round. api.openai.com keeps the same pairs, and
 * checks a request's input against them.
 */
export interface ReasoningPairs {
  following: Map<string, string>;
  reasoning: Map<string, string>;
}

/** The server memory's slot for the pairs (see `ServerMemory`). */
export const REASONING_PAIRS: MemorySlot<ReasoningPairs> = { create: () => ({ following: new Map(), reasoning: new Map() }) };

/**
 * The mock's `encrypted_content` of a reasoning item (asked for with `include:
 * ['reasoning.encrypted_content']`): opaque to a client, and what the mock checks when it comes back.
 */
export const encryptedReasoning = (id: string): string => Buffer.from(`mock-reasoning:${id}`).toString('base64');

/** Remembers which item followed each reasoning item of a response's output. */
export function rememberReasoning(pairs: ReasoningPairs, output: readonly Item[]): void {
  output.forEach((item, i) => {
    const next = output[i + 1]?.id;
    if (item.type !== 'reasoning' || typeof item.id !== 'string' || typeof next !== 'string') return;
    pairs.following.set(item.id, next);
    pairs.reasoning.set(next, item.id);
  });
}

/**
 * How api.openai.com refuses reasoning items in `input` that it cannot take back, with its words
 * (as quoted in vercel/ai#7099, TanStack/ai#1212, openai/openai-agents-python#1611, 2025–2026);
 * `undefined` when the input is fine:
 * - a reasoning item without its `summary` list (even an empty one): 400 `Missing required parameter`;
 * - with `store: false`, a reasoning item without its `encrypted_content`: 404, the item is not kept;
 *   `encrypted_content` that is not the one the API gave: 400;
 * - a reasoning item not directly followed by the item that followed it in the output: 400
 *   "… was provided without its required following item.";
 * - an item (a message or a function call, by its id) that followed a reasoning item, sent without
 *   that reasoning item directly before it: 400 "… was provided without its required 'reasoning' item: …".
 *
 * Items sent without an id (new items, as far as the API knows) are not paired with anything.
 */
export function refusedReasoning(input: unknown, store: unknown, pairs: ReasoningPairs): RouteResult | undefined {
  if (!Array.isArray(input)) return undefined;
  const items = input as Item[];
  for (let i = 0; i < items.length; i++) {
    const item = items[i] ?? {};
    const id = typeof item.id === 'string' ? item.id : undefined;
    if (item.type === 'reasoning') {
      if (!Array.isArray(item.summary)) return responsesBadRequest(`Missing required parameter: 'input[${i}].summary'.`, `input[${i}].summary`, 'missing_required_parameter');
      if (store === false && typeof item.encrypted_content !== 'string') {
        return {
          status: 404,
          json: {
            error: {
              message: `Item with id '${id}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`,
              type: 'invalid_request_error',
              param: 'input',
              code: null,
            },
          },
        };
      }
      if (typeof item.encrypted_content === 'string' && (id === undefined || item.encrypted_content !== encryptedReasoning(id))) {
        return responsesBadRequest(`The encrypted content for item ${id} could not be verified.`, 'input', 'invalid_encrypted_content');
      }
      const next = id === undefined ? undefined : pairs.following.get(id);
      if (next !== undefined && items[i + 1]?.id !== next) return responsesBadRequest(`Item '${id}' of type 'reasoning' was provided without its required following item.`, 'input', null);
      continue;
    }
    const reasoning = id === undefined ? undefined : pairs.reasoning.get(id);
    if (reasoning !== undefined && items[i - 1]?.id !== reasoning) {
      return responsesBadRequest(`Item '${id}' of type '${String(item.type ?? 'message')}' was provided without its required 'reasoning' item: '${reasoning}'.`, 'input', null);
    }
  }
  return undefined;
}
