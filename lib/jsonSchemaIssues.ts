import { checkJsonSchema, type CheckedSchema } from './checkJsonSchema';
import { render, type CodecIssue } from './codec/reportErrors';
import { isRecord } from './codec/wireChecks';
import type { JsonSchema } from './jsonSchemaOf';

type Schema = JsonSchema | boolean;

/** Where a value sits: its dotted path and how many keys or indices deep it is. */
interface Place {
  path: string;
  depth: number;
}

type Found = CodecIssue & { depth: number };

interface Walk extends CheckedSchema {
  /** per object or array of the value, the issues each schema found there */
  seen: Map<object, Map<JsonSchema, { path: string; found: Found[] }>>;
}

/**
 * The issues of a JSON value against a JSON Schema, in the form `reportErrors` gives for a codec
 * (`stops.2.name: expected a string, got 42`); none when the value conforms. It checks the subset
 * of JSON Schema the providers' structured outputs and tool parameters use: `type` (a name or a
 * list, with `integer` and `null`), `nullable` (OpenAPI, Gemini), `enum`, `const`, `properties`,
 * `required`, `additionalProperties`, `items`, `prefixItems`, `minItems`/`maxItems`,
 * `minLength`/`maxLength` (in code points), `pattern` (unanchored, with the `u` flag where it
 * compiles with it), `minimum`/`maximum`/`exclusiveMinimum`/`exclusiveMaximum` (numbers as in
 * 2020-12, or booleans as in OpenAPI 3.0), `allOf`, `anyOf`, `oneOf` and `$ref` within the schema
 * (`#`, `#/$defs/…`, `#/definitions/…`); every other keyword (`format`, `multipleOf`, `title`,
 * `description`, `default`, `not`, …) is ignored. The API that takes the schema remains the
 * authority on what it accepts.
 *
 * - Each failing value gets one issue saying all it must be (`a whole number from 1 to 10`, `one of
 *   "celsius", "fahrenheit"`, `a string of at most 3 characters matching /^[A-Z]+$/`); a missing
 *   key its schema's issue at the key's path (`got undefined`), an unknown one under
 *   `additionalProperties: false` `no such key (allowed: "city", "units")`; an array of the wrong
 *   length one issue at the array, and its items their own.
 * - `anyOf`/`oneOf` that no branch fits: when every branch refuses the value itself, one issue
 *   listing them (`a string or null`); otherwise the issues of the closest branch, the one whose
 *   shallowest issue is deepest (then the fewest issues, then the first), so a `{ kind: 'circle',
 *   r: 'big' }` is told about `r`, not that it is no square. A `oneOf` that several branches fit
 *   is one issue saying how many.
 * - Linear in the size of the value: each object or array is checked once per schema, however many
 *   `anyOf` branches lead to it, and a recursive `$ref` ends with the value.
 * - The schema itself is checked first, whatever the value (see `checkJsonSchema`): a subschema
 *   that is not an object or a boolean, a keyword of the wrong kind, a `pattern` that is no
 *   regular expression, a `$ref` that does not resolve within the schema, or one that leads back
 *   to itself without descending into the value, is a `ConfigError` naming its path in the schema.
 *
 * @example
 * const weather = { type: 'object', properties: { city: { type: 'string', minLength: 1 }, units: { enum: ['celsius', 'fahrenheit'] } }, required: ['city'], additionalProperties: false };
 * jsonSchemaIssues(weather, { city: 'Paris', units: 'kelvin', days: 3 });
 * // [{ path: 'units', expected: 'one of "celsius", "fahrenheit"', got: '"kelvin"' },
 * //  { path: 'days', expected: 'no such key (allowed: "city", "units")', got: '3' }]
 * jsonSchemaIssues(weather, {});
 * // [{ path: 'city', expected: 'a string of at least 1 character', got: 'undefined' }]
 * jsonSchemaIssues({ type: 'object', properties: { city: 'string' } }, {});
 * // ConfigError: Invalid JSON Schema: properties.city: expected a schema (an object or a boolean), got "string"
 */
export function jsonSchemaIssues(schema: JsonSchema | boolean, value: unknown): CodecIssue[] {
  const w: Walk = { ...checkJsonSchema(schema), seen: new Map() };
  return walk(w, schema, value, { path: '', depth: 0 }).map(({ path, expected, got }) => ({ path, expected, got }));
}

// ---- the walk over the value ----

function walk(w: Walk, schema: Schema, value: unknown, at: Place): Found[] {
  if (schema === true) return [];
  if (schema === false) return [issue(at, 'no value here', value)];
  if (schema.nullable === true && value === null) return [];
  if (typeof value !== 'object' || value === null) return conform(w, schema, value, at);
  let bySchema = w.seen.get(value);
  if (!bySchema) w.seen.set(value, (bySchema = new Map()));
  const known = bySchema.get(schema);
  if (known && known.path === at.path) return known.found;
  const found = conform(w, schema, value, at);
  bySchema.set(schema, { path: at.path, found });
  return found;
}

function conform(w: Walk, schema: JsonSchema, value: unknown, at: Place): Found[] {
  if (!fitsType(schema, value) || !fitsValues(schema, value) || !fitsScalar(w, schema, value)) return [issue(at, describe(schema, value), value)];
  return unique([
    ...arrayIssues(w, schema, value, at),
    ...objectIssues(w, schema, value, at),
    ...((schema.allOf as Schema[] | undefined) ?? []).flatMap((member) => walk(w, member, value, at)),
    ...(schema.anyOf ? unionIssues(w, schema.anyOf as Schema[], value, at, false) : []),
    ...(schema.oneOf ? unionIssues(w, schema.oneOf as Schema[], value, at, true) : []),
    ...(typeof schema.$ref === 'string' ? walk(w, w.refs.get(schema.$ref) as Schema, value, at) : []),
  ]);
}

function fitsType(schema: JsonSchema, value: unknown): boolean {
  const types = typesOf(schema);
  return types === undefined || types.some((type) => isOfType(type, value));
}

function isOfType(type: string, value: unknown): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isRecord(value);
    default:
      return typeof value === type;
  }
}

function fitsValues(schema: JsonSchema, value: unknown): boolean {
  if (Object.hasOwn(schema, 'const') && !sameJson(schema.const, value)) return false;
  return !Array.isArray(schema.enum) || schema.enum.some((member) => sameJson(member, value));
}

/** The keywords of a string or a number, which a failing value gets one issue for. */
function fitsScalar(w: Walk, schema: JsonSchema, value: unknown): boolean {
  if (typeof value === 'string') {
    const { minLength = 0, maxLength = Infinity, pattern } = schema as { minLength?: number; maxLength?: number; pattern?: string };
    const length = minLength > 0 || maxLength < Infinity ? codePoints(value) : 0;
    return length >= minLength && length <= maxLength && (pattern === undefined || (w.patterns.get(pattern) as RegExp).test(value));
  }
  if (typeof value === 'number') {
    const { minimum = -Infinity, maximum = Infinity, exclusiveMinimum = -Infinity, exclusiveMaximum = Infinity } = numberBounds(schema);
    return value >= minimum && value <= maximum && value > exclusiveMinimum && value < exclusiveMaximum;
  }
  return true;
}

function arrayIssues(w: Walk, schema: JsonSchema, value: unknown, at: Place): Found[] {
  if (!Array.isArray(value)) return [];
  const { minItems, maxItems } = itemCounts(schema);
  const count = value.length < minItems || value.length > maxItems ? [issue(at, describe(schema, value), value)] : [];
  const prefix = (schema.prefixItems as Schema[] | undefined) ?? [];
  const rest = schema.items as Schema | undefined;
  const items = value.flatMap((item, i) => {
    const itemSchema = i < prefix.length ? prefix[i] : rest;
    // items: false is a maximum length, reported at the array
    return itemSchema === undefined || itemSchema === false ? [] : walk(w, itemSchema, item, child(at, String(i)));
  });
  return [...count, ...items];
}

function objectIssues(w: Walk, schema: JsonSchema, value: unknown, at: Place): Found[] {
  if (!isRecord(value)) return [];
  const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
  const extra = schema.additionalProperties as Schema | undefined;
  const keyed = schema.properties !== undefined || extra !== undefined;
  const present = (keyed ? Object.entries(value) : []).flatMap(([key, member]) => {
    const place = child(at, key);
    if (Object.hasOwn(properties, key)) return walk(w, properties[key], member, place);
    if (extra === false) return [issue(place, noSuchKey(properties), member)];
    return extra === undefined ? [] : walk(w, extra, member, place);
  });
  const required = (schema.required as string[] | undefined) ?? [];
  const absent = required.filter((key) => !Object.hasOwn(value, key)).flatMap((key) => missing(w, Object.hasOwn(properties, key) ? properties[key] : true, child(at, key)));
  return [...present, ...absent];
}

/** A required key that is absent: what its schema says of `undefined`, or at least that it must be there. */
function missing(w: Walk, schema: Schema, at: Place): Found[] {
  const found = walk(w, schema, undefined, at);
  return found.length > 0 ? found : [issue(at, 'a value', undefined)];
}

function noSuchKey(properties: Record<string, Schema>): string {
  const allowed = Object.keys(properties);
  return allowed.length > 0 ? `no such key (allowed: ${allowed.map((key) => JSON.stringify(key)).join(', ')})` : 'no such key (the object takes none)';
}

function unionIssues(w: Walk, branches: Schema[], value: unknown, at: Place, exactlyOne: boolean): Found[] {
  const results: Found[][] = [];
  for (const branch of branches) {
    results.push(walk(w, branch, value, at));
    if (!exactlyOne && results[results.length - 1].length === 0) return [];
  }
  const fitting = results.filter((found) => found.length === 0).length;
  if (fitting === 1 && exactlyOne) return [];
  if (fitting > 1) {
    const alternatives = branches.map((branch) => (typeof branch === 'boolean' ? String(branch) : describe(branch, value)));
    return [issue(at, `exactly one of ${alternatives.join(', ')} (it fits ${fitting})`, value)];
  }
  return closest(results, at);
}

/**
 * Of the failed branches of a union, what reads best: when every branch refuses the value itself,
 * one issue listing what they wanted; otherwise the branch that got deepest into the value.
 */
function closest(results: Found[][], at: Place): Found[] {
  const shallowest = results.map((found) => found.reduce((min, f) => Math.min(min, f.depth), Infinity));
  const deepest = Math.max(...shallowest);
  if (deepest === at.depth) {
    const wanted = results.flatMap((found) => found.filter((f) => f.depth === at.depth).map((f) => f.expected));
    return [{ ...results[0].find((f) => f.depth === at.depth)!, expected: [...new Set(wanted)].join(' or ') }];
  }
  let best = shallowest.indexOf(deepest);
  results.forEach((found, i) => {
    if (shallowest[i] === deepest && found.length < results[best].length) best = i;
  });
  return results[best];
}

// ---- what a schema expects, in words ----

/** All a failing value must be: `one of "a", "b"`, `a whole number ≥ 1`, `a string of at most 3 characters or null`. */
function describe(schema: JsonSchema, value: unknown): string {
  const types = typesOf(schema) ?? [kindOf(value)];
  const orNull = schema.nullable === true && !types.includes('null') ? ' or null' : '';
  if (Object.hasOwn(schema, 'const')) return render(schema.const) + orNull;
  if (Array.isArray(schema.enum)) return oneOf(schema.enum) + orNull;
  return types.map((type) => phrase(type, schema)).join(' or ') + orNull;
}

function oneOf(values: unknown[]): string {
  return values.length === 1 ? render(values[0]) : `one of ${values.map((v) => render(v)).join(', ')}`;
}

function phrase(type: string, schema: JsonSchema): string {
  const s = schema as Record<string, number | undefined>;
  switch (type) {
    case 'string': {
      const pattern = typeof schema.pattern === 'string' ? ` matching /${schema.pattern}/` : '';
      return `a string${sized(s.minLength ?? 0, s.maxLength ?? Infinity, 'character', 'characters')}${pattern}`;
    }
    case 'number':
    case 'integer':
      return `${type === 'integer' ? 'a whole number' : 'a number'}${bounds(numberBounds(schema))}`;
    case 'array': {
      const { minItems, maxItems } = itemCounts(schema);
      return `an array${sized(minItems, maxItems, 'item', 'items')}`;
    }
    case 'object':
      return 'an object';
    case 'boolean':
      return 'a boolean';
    case 'null':
      return 'null';
    default:
      return 'a JSON value';
  }
}

function sized(min: number, max: number, one: string, many: string): string {
  const count = (n: number) => `${n} ${n === 1 ? one : many}`;
  if (min === max) return ` of exactly ${count(min)}`;
  if (min > 0 && max < Infinity) return ` of ${min} to ${count(max)}`;
  if (min > 0) return ` of at least ${count(min)}`;
  return max < Infinity ? ` of at most ${count(max)}` : '';
}

interface NumberBounds {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/** The bounds of a number, where `exclusiveMinimum: true` makes `minimum` exclusive (draft 4, OpenAPI 3.0). */
function numberBounds(schema: JsonSchema): NumberBounds {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = schema as { minimum?: number; maximum?: number; exclusiveMinimum?: number | boolean; exclusiveMaximum?: number | boolean };
  return {
    minimum: exclusiveMinimum === true ? undefined : minimum,
    maximum: exclusiveMaximum === true ? undefined : maximum,
    exclusiveMinimum: exclusiveMinimum === true ? minimum : typeof exclusiveMinimum === 'number' ? exclusiveMinimum : undefined,
    exclusiveMaximum: exclusiveMaximum === true ? maximum : typeof exclusiveMaximum === 'number' ? exclusiveMaximum : undefined,
  };
}

function bounds({ minimum, maximum, exclusiveMinimum, exclusiveMaximum }: NumberBounds): string {
  if (minimum !== undefined && maximum !== undefined && exclusiveMinimum === undefined && exclusiveMaximum === undefined) return ` from ${minimum} to ${maximum}`;
  const parts = [
    minimum !== undefined ? `≥ ${minimum}` : '',
    exclusiveMinimum !== undefined ? `> ${exclusiveMinimum}` : '',
    maximum !== undefined ? `≤ ${maximum}` : '',
    exclusiveMaximum !== undefined ? `< ${exclusiveMaximum}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? ` ${parts.join(' and ')}` : '';
}

/** `minItems` and `maxItems`, where `items: false` after the `prefixItems` is a maximum too. */
function itemCounts(schema: JsonSchema): { minItems: number; maxItems: number } {
  const closedAfter = schema.items === false ? ((schema.prefixItems as unknown[] | undefined) ?? []).length : Infinity;
  return { minItems: (schema.minItems as number | undefined) ?? 0, maxItems: Math.min((schema.maxItems as number | undefined) ?? Infinity, closedAfter) };
}

// ---- small helpers ----

function typesOf(schema: JsonSchema): string[] | undefined {
  const { type } = schema;
  return type === undefined ? undefined : Array.isArray(type) ? (type as string[]) : [type as string];
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function issue(at: Place, expected: string, value: unknown): Found {
  return { path: at.path || '(root)', expected, got: render(value), depth: at.depth };
}

function child(at: Place, key: string): Place {
  return { path: at.path === '' ? key : `${at.path}.${key}`, depth: at.depth + 1 };
}

function unique(found: Found[]): Found[] {
  const keys = new Set<string>();
  return found.filter((f) => {
    const key = `${f.path}\u0000${f.expected}`;
    if (keys.has(key)) return false;
    keys.add(key);
    return true;
  });
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}

/** JSON equality: numbers by value, arrays in order, objects whatever the order of their keys. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]));
}
