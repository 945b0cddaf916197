import { ConfigError } from './errors/configError';
import { jsonSchemaOf, type JsonSchema, type SchemaMode } from './jsonSchemaOf';
import type { OutputOption } from './types/outputOption';
import { isCodec } from './types/schemaCodecs';

/** The `output` option as a provider sends it. */
export interface OutputFormat {
  /** the format's name (`output.name`, default `'response'`) */
  name: string;
  description?: string;
  /** the JSON Schema: derived from the codec for the API, or the one given, as it is */
  schema: JsonSchema;
  /** whether strict mode is asked for (`output.strict`, default true) */
  strict: boolean;
}

/** The format name sent when `output.name` is not given. */
export const DEFAULT_OUTPUT_NAME = 'response';

/**
 * The `output` option of a request, ready for a provider's request builder: its JSON Schema in
 * the form the API takes (`mode`, see `SchemaMode`; `'strict'` only when strict is on), its name,
 * description and strictness. A JSON Schema given as `schema` is sent as it is. Throws the
 * `ConfigError` of a codec that cannot be described.
 *
 * @example
 * outputFormat({ schema: t.type({ city: t.string }) }, 'strict');
 * // { name: 'response', schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false }, strict: true }
 */
export function outputFormat(output: OutputOption, mode: SchemaMode): OutputFormat {
  const strict = output.strict ?? true;
  const schemaMode: SchemaMode = mode === 'strict' && !strict ? 'open' : mode;
  const given = output.schema as unknown;
  const schema = isCodec(given) ? jsonSchemaOf(given, schemaMode) : (given as JsonSchema);
  const format: OutputFormat = { name: output.name ?? DEFAULT_OUTPUT_NAME, schema, strict };
  if (output.description !== undefined) format.description = output.description;
  return format;
}


/**
 * The `ConfigError` of a provider that has no structured output (yet), naming what to do instead.
 *
 * @example
 * throw noStructuredOutput("LM Studio's /api/v1/chat takes no response format; use native: 'v0'");
 */
export function noStructuredOutput(why: string): ConfigError {
  return new ConfigError('options', [{ path: 'output', expected: `none (${why})`, got: 'an output schema' }]);
}
