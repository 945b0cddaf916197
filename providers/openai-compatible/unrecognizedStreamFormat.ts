/**
 * What a payload of another API than Chat Completions shows of itself, or `undefined` for one that
 * may be a chat completion chunk: a typed event without `choices` (the Responses API's
 * `response.…` events, also from LM Studio and other Open Responses servers; Anthropic Messages;
 * LM Studio's native `/api/v1/chat`), or a legacy Completions chunk (`object: "text_completion"`,
 * or choices with `text` and no `delta`).
 *
 * @example
 * unrecognizedStreamFormat({ type: 'response.created', response: {} }); // 'type "response.created"'
 * unrecognizedStreamFormat({ object: 'chat.completion.chunk', choices: [] }); // undefined
 */
export function unrecognizedStreamFormat(payload: { choices?: unknown; object?: unknown; type?: unknown }): string | undefined {
  const { choices, object, type } = payload;
  if (typeof type === 'string' && !Array.isArray(choices)) return `type ${JSON.stringify(type)}`;
  if (object === 'text_completion' || object === 'response') return `object ${JSON.stringify(object)}`;
  const first = Array.isArray(choices) ? (choices[0] as { delta?: unknown; text?: unknown } | null | undefined) : undefined;
  if (first && first.delta === undefined && typeof first.text === 'string') return 'choices with "text" and no "delta"';
  return undefined;
}
