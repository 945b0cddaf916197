import { hashText } from '../mockModel';
import type { Route, RouteInput, RouteResult } from '../route';
import { openaiErrorBody, openaiInvalidRequest } from './openaiFaults';

/** The categories of OpenAI's moderation models, in the API's order. */
const CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/intent',
  'self-harm/instructions',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
] as const;

/** The word that makes the mock moderation flag a text; `FLAG_ME:<category>` names the category. */
export const MOCK_MODERATION_TRIGGER = 'FLAG_ME';

const TRIGGER = /FLAG_ME(?::([a-z/-]+))?/g;

/**
 * OpenAI's moderation endpoint (`POST /v1/moderations`), deterministic: a text is flagged when it
 * contains `FLAG_ME` (category `harassment`) or `FLAG_ME:<category>` (that category, e.g.
 * `FLAG_ME:violence`); otherwise nothing is flagged. The answer has the API's shape: `{ id, model,
 * results: [{ flagged, categories, category_scores, category_applied_input_types }] }`, one result
 * per input (`input` is a string, an array of strings, or an array of `{ type: 'text', text }`
 * parts), scores derived from a hash of the text (0.9 and more for a flagged category). A missing
 * `input` gets the API's 400 body; faults apply as to any route.
 *
 * @example
 * // POST /v1/moderations { "input": "FLAG_ME:violence now" }
 * // → { id: 'modr-…', model: 'omni-moderation-2024-09-26', results: [{ flagged: true, categories: { violence: true, … }, … }] }
 */
export const openaiModerationRoute: Route = {
  answer: answerModeration,
  errorBody: (fault) => openaiErrorBody(fault),
  invalidRequest: openaiInvalidRequest,
};

function answerModeration({ body }: RouteInput): RouteResult {
  const inputs = inputsOf(body.input);
  if (inputs === undefined) {
    return {
      status: 400,
      json: { error: { message: "Missing required parameter: 'input'.", type: 'invalid_request_error', param: 'input', code: 'missing_required_parameter' } },
    };
  }
  const requested = typeof body.model === 'string' && body.model !== '' ? body.model : 'omni-moderation-latest';
  const model = requested === 'omni-moderation-latest' ? 'omni-moderation-2024-09-26' : requested;
  return {
    json: {
      id: `modr-mock${hashText(inputs.join('\u0000')).toString(36)}`,
      model,
      results: inputs.map(resultFor),
    },
  };
}

/** The texts to judge, or `undefined` when `input` is missing or of another kind. */
function inputsOf(input: unknown): string[] | undefined {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  const texts: string[] = [];
  for (const item of input) {
    if (typeof item === 'string') texts.push(item);
    else if (item && typeof item === 'object' && (item as { type?: unknown }).type === 'text') texts.push(String((item as { text?: unknown }).text ?? ''));
    else return undefined;
  }
  return texts;
}

function resultFor(text: string): Record<string, unknown> {
  const flaggedNames = new Set<string>();
  for (const match of text.matchAll(TRIGGER)) {
    const named = match[1];
    flaggedNames.add(named && (CATEGORIES as readonly string[]).includes(named) ? named : 'harassment');
  }
  const seed = hashText(text);
  const categories: Record<string, boolean> = {};
  const scores: Record<string, number> = {};
  const applied: Record<string, string[]> = {};
  CATEGORIES.forEach((name, i) => {
    const flagged = flaggedNames.has(name);
    categories[name] = flagged;
    // a small, stable score per text and category; a flagged one is high
    const small = (((seed >>> (i % 24)) & 0xff) + 1) / 1e6;
    scores[name] = flagged ? 0.9 + small : small;
    applied[name] = ['text'];
  });
  return { flagged: flaggedNames.size > 0, categories, category_scores: scores, category_applied_input_types: applied };
}
