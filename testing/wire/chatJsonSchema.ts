/**
 * The schema of a Chat Completions `response_format: { type: 'json_schema', json_schema: { name?,
 * schema, strict? } }` as the servers that copy OpenAI read it (Mistral, Perplexity, LM Studio): the
 * schema, or `{}` when it has none; `undefined` for another type (`text`, `json_object`) or none.
 * Each route refuses what its API refuses before it asks.
 *
 * @example
 * chatJsonSchema({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'string' } } } }); // { type: 'string' }
 */
export function chatJsonSchema(body: Record<string, unknown>): unknown {
  const format = body.response_format as { type?: unknown; json_schema?: { schema?: unknown } } | undefined;
  if (format?.type !== 'json_schema') return undefined;
  return format.json_schema?.schema ?? {};
}
