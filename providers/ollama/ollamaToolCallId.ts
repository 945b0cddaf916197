/**
 * The id given to the `index`-th tool call of an answer when the server sent none (servers before
 * late 2025). The same stream always gets the same ids.
 *
 * @example
 * ollamaToolCallId(0); // 'call_0'
 */
export function ollamaToolCallId(index: number): string {
  return `call_${index}`;
}
