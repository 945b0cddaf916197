import { map, type Observable } from 'rxjs';
import { isLeft } from '../../lib/codec/isLeft';
import { formatIssue, reportErrors } from '../../lib/codec/reportErrors';
import { ParseError } from '../../lib/errors/parseError';
import type { FeatureContext } from '../../lib/provider';
import { requestJson$ } from '../../lib/transport/requestJson';
import { transportOptionsOf } from '../../lib/transport/transportOptions';
import type { ModerationVerdict } from './contentModeration';
import { OpenAIModerationResponse } from './wireModeration';

/** The moderation model asked when none is given. */
export const OPENAI_MODERATION_MODEL = 'omni-moderation-latest';

/** The headers of the chat request that authenticate it, and so the moderation call too (names in lower case). */
const AUTH_HEADERS = new Set(['authorization', 'api-key', 'openai-organization', 'openai-project']);

/**
 * A moderation check on OpenAI's endpoint: `POST {baseURL}/moderations` with `{ model, input: text }`
 * and the chat request's authentication headers (`authorization`, and `api-key`,
 * `openai-organization`, `openai-project` when set; other headers of the chat request are not
 * sent). The verdict is flagged when any result is; its categories are those flagged in any result,
 * its scores the first result's `category_scores`. A non-2xx answer is an `HttpError`, an answer of
 * another shape a `ParseError`, a network failure a `StreamInterruptedError` — never with a secret.
 *
 * @example
 * const check = createOpenAIModerationCheck(context);
 * check('Some text.').subscribe(console.log); // { flagged: false, categories: [], scores: { … } }
 */
export function createOpenAIModerationCheck(context: FeatureContext, model: string = OPENAI_MODERATION_MODEL): (text: string) => Observable<ModerationVerdict> {
  const url = context.options.baseURL.replace(/\/+$/, '') + '/moderations';
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(context.request.headers)) {
    if (AUTH_HEADERS.has(name.toLowerCase())) headers[name] = value;
  }
  const provider = 'openai';
  // the check goes out as the chat request does: its fetch, agents or proxy, when it has them
  const transport = transportOptionsOf(context.options);
  return (text) =>
    requestJson$({ url, method: 'POST', headers, body: { model, input: text } }, context.secrets, provider, transport).pipe(
      map((body) => toModerationVerdict(body, provider)),
    );
}

/** The answer of `/moderations` as a verdict; a `ParseError` naming the path when it has another shape. */
function toModerationVerdict(body: unknown, provider: string): ModerationVerdict {
  const decoded = OpenAIModerationResponse.decode(body);
  if (isLeft(decoded)) {
    const issues = reportErrors(decoded.left).map(formatIssue).join('; ');
    throw new ParseError({ provider, kind: 'schema', message: `${provider}: the moderation answer does not match its format: ${issues}`, raw: JSON.stringify(body) ?? '' });
  }
  const { results } = decoded.right;
  const categories = new Set<string>();
  for (const result of results) {
    for (const [name, value] of Object.entries(result.categories ?? {})) if (value === true) categories.add(name);
  }
  const flagged = results.some((r) => r.flagged);
  const scores = results[0]?.category_scores;
  if (!scores) return { flagged, categories: [...categories] };
  const numbers: Record<string, number> = {};
  for (const [name, value] of Object.entries(scores)) if (typeof value === 'number') numbers[name] = value;
  return { flagged, categories: [...categories], scores: numbers };
}
