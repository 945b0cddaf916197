type Content = { role?: unknown; parts?: unknown };

/** Google's words for a function call turn whose next turn does not answer each call. */
export const UNMATCHED_FUNCTION_RESPONSES =
  'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.';

/** How many of a turn's parts are of `kind` (`functionCall`, `functionResponse`). */
const partsWith = (content: Content | undefined, kind: 'functionCall' | 'functionResponse'): number =>
  Array.isArray(content?.parts) ? (content.parts as unknown[]).filter((p) => (p as Record<string, unknown> | null)?.[kind] !== undefined).length : 0;

/**
 * How Gemini refuses a function call turn whose next turn answers it with another number of
 * `functionResponse` parts — fewer, more, or none (a user text turn): 400 `INVALID_ARGUMENT` "Please
 * ensure that the number of function response parts is equal to the number of function call parts of
 * the function call turn." (as quoted in google-gemini/gemini-cli#4217, #16415 and many others,
 * 2025–2026); `undefined` when every call turn is answered part for part. A model turn that ends
 * `contents` is not checked.
 *
 * @example
 * unmatchedFunctionResponses([
 *   { role: 'user', parts: [{ text: 'Weather and time in Oslo?' }] },
 *   { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: {} } }, { functionCall: { name: 'get_time', args: {} } }] },
 *   { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { sky: 'sun' } } }] },
 * ]); // 'Please ensure that the number of function response parts is equal to …'
 */
export function unmatchedFunctionResponses(contents: readonly Content[]): string | undefined {
  for (let i = 0; i + 1 < contents.length; i++) {
    const calls = contents[i].role === 'model' ? partsWith(contents[i], 'functionCall') : 0;
    if (calls > 0 && partsWith(contents[i + 1], 'functionResponse') !== calls) return UNMATCHED_FUNCTION_RESPONSES;
  }
  return undefined;
}
