const GENERATED = 'gemini-call-';

/**
 * The id rxllm gives a Gemini function call that came without one (Gemini 2.x sends none; Gemini 3
 * and Vertex send `functionCall.id`). Stable for a given response: the response id and the call's
 * position, so a replay of the same bytes gives the same ids.
 *
 * @example
 * generateGeminiToolCallId('w1peaMz6INOvnvgPgYfPiQY', 0); // 'gemini-call-w1peaMz6INOvnvgPgYfPiQY-0'
 */
export function generateGeminiToolCallId(responseId: string | undefined, index: number): string {
  return `${GENERATED}${responseId ? `${responseId}-` : ''}${index}`;
}

/** True for an id made by `generateGeminiToolCallId`: such an id is not sent back to the API. */
export function isGeneratedGeminiToolCallId(id: string): boolean {
  return id.startsWith(GENERATED);
}
