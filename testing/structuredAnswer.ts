/**
 * The mock model's structured answers: a value generated from the JSON Schema a request sends (each
 * route reads it from its own parameter), deterministic for a prompt, and the checks OpenAI's strict
 * mode makes of a schema. It knows no codec and no provider code: only JSON Schema.
 */

type Schema = Record<string, unknown>;

/** How deep `$ref`s are followed: a recursive schema gets the smallest value past this depth. */
const MAX_DEPTH = 12;

/**
 * A value valid for `schema`, made from the words of `prompt`: strings are its words in turn (an
 * `email` or `date` format gets one of that form), numbers 42 (integers 7), booleans true, the first
 * `enum` or the `const` value, the first branch of an `anyOf` / `oneOf` / type list that is not null,
 * arrays of 2 items (within `minItems` / `maxItems`), objects with every property, records with two
 * keys. The same schema and prompt always give the same value.
 *
 * @example
 * valueForSchema({ type: 'object', properties: { city: { type: 'string' }, days: { type: 'array', items: { type: 'integer' } } } }, 'Weather in Oslo');
 * // { city: 'Weather', days: [7, 7] }
 */
export function valueForSchema(schema: unknown, prompt: string): unknown {
  const words = prompt.match(/\p{L}[\p{L}\p{N}]*/gu) ?? [];
  let next = 0;
  const word = () => (words.length > 0 ? words[next++ % words.length] : `word${++next}`);
  const root = isSchema(schema) ? schema : {};

  const valueOf = (s: unknown, depth: number): unknown => {
    if (!isSchema(s) || depth > MAX_DEPTH) return null;
    if (typeof s.$ref === 'string') return valueOf(resolve(root, s.$ref), depth + 1);
    if ('const' in s) return s.const;
    if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
    const branches = (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined) as unknown[] | undefined;
    if (branches) return valueOf(branches.find((b) => !isSchema(b) || b.type !== 'null') ?? branches[0], depth + 1);
    if (Array.isArray(s.allOf)) return Object.assign({}, ...s.allOf.map((part) => valueOf(part, depth + 1)));
    const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? 'null') : s.type;
    switch (type ?? (isSchema(s.properties) ? 'object' : s.items ? 'array' : undefined)) {
      case 'string':
        return stringOf(s.format, word());
      case 'integer':
        return typeof s.minimum === 'number' ? Math.ceil(s.minimum) : 7;
      case 'number':
        return typeof s.minimum === 'number' ? s.minimum : 42;
      case 'boolean':
        return true;
      case 'null':
        return null;
      case 'array': {
        const min = typeof s.minItems === 'number' ? s.minItems : 0;
        const max = typeof s.maxItems === 'number' ? s.maxItems : Infinity;
        const count = Math.max(min, Math.min(2, max));
        return Array.from({ length: count }, () => valueOf(s.items, depth + 1));
      }
      case 'object': {
        const value: Record<string, unknown> = {};
        if (isSchema(s.properties)) for (const [key, property] of Object.entries(s.properties)) value[key] = valueOf(property, depth + 1);
        else if (isSchema(s.additionalProperties)) for (let i = 0; i < 2; i++) value[word().toLowerCase()] = valueOf(s.additionalProperties, depth + 1);
        return value;
      }
      default:
        return word();
    }
  };
  return valueOf(root, 0);
}

/**
 * The answer's text for `schema`: `valueForSchema` as JSON, on one line with a space after each
 * `:` and `,` (and inside brackets), so that it streams as many deltas, as a model writes it.
 *
 * @example
 * structuredText({ type: 'object', properties: { city: { type: 'string' } } }, 'Oslo'); // '{ "city": "Oslo" }'
 */
export function structuredText(schema: unknown, prompt: string): string {
  // JSON.stringify escapes the line ends inside strings, so every line end here is the layout's
  return JSON.stringify(valueForSchema(schema, prompt), null, 1).replace(/\n\s*/g, ' ');
}

/**
 * Why OpenAI refuses `schema` as a strict response format named `name`, in its words, or
 * `undefined` when it takes it: the root must be an object; every object needs `additionalProperties:
 * false` and every key of its `properties` in `required`. The context is the path into the schema,
 * as the API writes it (a Python tuple: `()`, `('properties', 'address')`).
 *
 * @example
 * strictSchemaRefusal({ type: 'object', properties: {} }, 'person');
 * // "Invalid schema for response_format 'person': In context=(), 'additionalProperties' is required to be supplied and to be false."
 */
export function strictSchemaRefusal(schema: unknown, name: string): string | undefined {
  const prefix = `Invalid schema for response_format '${name}': `;
  if (!isSchema(schema) || schema.type !== 'object') {
    return `${prefix}schema must be a JSON Schema of 'type: "object"', got 'type: "${isSchema(schema) ? String(schema.type) : typeof schema}"'.`;
  }
  const check = (s: unknown, context: Array<string | number>): string | undefined => {
    if (!isSchema(s)) return undefined;
    const where = `In context=${tuple(context)}, `;
    const isObject = s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object'));
    if (isObject) {
      if (s.additionalProperties !== false) return `${prefix}${where}'additionalProperties' is required to be supplied and to be false.`;
      const keys = isSchema(s.properties) ? Object.keys(s.properties) : [];
      const required = Array.isArray(s.required) ? s.required : [];
      const missing = keys.find((key) => !required.includes(key));
      if (missing !== undefined) {
        return `${prefix}${where}'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
      }
      for (const key of keys) {
        const refused = check((s.properties as Schema)[key], [...context, 'properties', key]);
        if (refused) return refused;
      }
    }
    if (s.items !== undefined) {
      const refused = check(s.items, [...context, 'items']);
      if (refused) return refused;
    }
    for (const kind of ['anyOf', '$defs', 'definitions'] as const) {
      const members = s[kind];
      const entries: Array<[string | number, unknown]> = Array.isArray(members) ? members.map((m, i) => [i, m]) : isSchema(members) ? Object.entries(members) : [];
      for (const [key, member] of entries) {
        const refused = check(member, [...context, kind, key]);
        if (refused) return refused;
      }
    }
    return undefined;
  };
  return check(schema, []);
}

/** A context as Python prints a tuple: `()`, `('items',)`, `('properties', 'a')`. */
function tuple(context: Array<string | number>): string {
  const items = context.map((c) => (typeof c === 'number' ? String(c) : `'${c}'`));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

function stringOf(format: unknown, word: string): string {
  switch (format) {
    case 'email':
      return `${word.toLowerCase()}@example.com`;
    case 'date':
      return '2026-12-03';
    case 'date-time':
      return '2026-12-03T12:00:00Z';
    case 'time':
      return '12:00:00';
    case 'uri':
      return `https://example.com/${encodeURIComponent(word.toLowerCase())}`;
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
    default:
      return word;
  }
}

function resolve(root: Schema, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let at: unknown = root;
  for (const key of ref.slice(2).split('/')) at = isSchema(at) ? at[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return at;
}

function isSchema(u: unknown): u is Schema {
  return typeof u === 'object' && u !== null && !Array.isArray(u);
}
