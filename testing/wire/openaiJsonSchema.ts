import { strictSchemaRefusal } from '../structuredAnswer';

/** A structured-output parameter as a route read it: the schema to answer with, or the API's refusal. */
export type SchemaParameter = { schema: unknown } | { refusal: { message: string; param: string; code: string | null } } | undefined;

/**
 * OpenAI's `json_schema` response format — `response_format.json_schema` of Chat Completions
 * (`param` `'response_format.json_schema'`), `text.format` of the Responses API (`'text.format'`) —
 * read as the API reads it: `name` is required (1 to 64 of a-z A-Z 0-9 _ -), and with `strict: true`
 * the schema must pass strict mode's checks (see `strictSchemaRefusal`). Another format type (`text`,
 * `json_object`) asks for no schema: the caller does not ask. A refusal of the schema names `schemaParam`.
 *
 * @example
 * readOpenAIJsonSchema({ schema: { type: 'object' } }, 'response_format.json_schema', 'response_format');
 * // { refusal: { message: "Missing required parameter: 'response_format.json_schema.name'.", param: …, code: 'missing_required_parameter' } }
 */
export function readOpenAIJsonSchema(format: unknown, param: string, schemaParam: string): SchemaParameter {
  const f = format as { name?: unknown; schema?: unknown; strict?: unknown } | undefined;
  if (typeof f !== 'object' || f === null) return { refusal: { message: `Missing required parameter: '${param}'.`, param, code: 'missing_required_parameter' } };
  if (f.name === undefined) {
    return { refusal: { message: `Missing required parameter: '${param}.name'.`, param: `${param}.name`, code: 'missing_required_parameter' } };
  }
  if (typeof f.name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(f.name)) {
    return { refusal: { message: `Invalid '${param}.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`, param: `${param}.name`, code: 'invalid_value' } };
  }
  if (f.strict === true) {
    const refused = strictSchemaRefusal(f.schema, f.name);
    if (refused) return { refusal: { message: refused, param: schemaParam, code: null } };
  }
  return { schema: f.schema ?? {} };
}
