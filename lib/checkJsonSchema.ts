import { render } from './codec/reportErrors';
import { isRecord } from './codec/wireChecks';
import { ConfigError } from './errors/configError';
import type { JsonSchema } from './jsonSchemaOf';

type Schema = JsonSchema | boolean;

/** What the check of a schema keeps for its walk. */
export interface CheckedSchema {
  /** each `pattern`, compiled */
  patterns: Map<string, RegExp>;
  /** each `$ref`, resolved */
  refs: Map<string, Schema>;
}

/**
 * Checks a JSON Schema for `jsonSchemaIssues`, whatever value it will be given: every subschema an
 * object or a boolean, each keyword `jsonSchemaIssues` reads of the kind it must be (`type` a type
 * name or a list of them, `required` a list of names, `minLength` a whole number ≥ 0, `pattern` a
 * regular expression, …), every `$ref` a JSON Pointer that resolves within the schema (`#`,
 * `#/$defs/…`, `#/definitions/…`, `~1` for `/`, `~0` for `~`), and no `$ref` that leads back to
 * itself without descending into a property or an item (through `$ref`, `allOf`, `anyOf`,
 * `oneOf`), whose walk would never end. The first fault is a `ConfigError` naming its path in the
 * schema. Returns the compiled patterns (with the `u` flag where they compile with it) and the
 * resolved `$ref`s.
 *
 * @example
 * checkJsonSchema({ type: 'object', properties: { city: { type: 'string', pattern: '^\\p{Lu}' } } });
 * // { patterns: Map { '^\\p{Lu}' => /^\p{Lu}/u }, refs: Map {} }
 * checkJsonSchema({ items: { $ref: '#/$defs/stop' } });
 * // ConfigError: Invalid JSON Schema: items.$ref: expected a $ref that resolves within this schema (#, #/$defs/…, #/definitions/…), got "#/$defs/stop"
 */
export function checkJsonSchema(schema: JsonSchema | boolean): CheckedSchema {
  const checked = { patterns: new Map<string, RegExp>(), refs: new Map<string, Schema>() };
  const visited: Visited = new Map();
  checkNode(schema, schema, [], checked, visited);
  const loopFree = new Set<JsonSchema>();
  for (const [node, path] of visited) refuseLoops(node, path, checked, loopFree, new Set());
  return checked;
}

const TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'];

/** What each checked keyword holds. */
type Shape = 'schema' | 'schemas' | 'schemaMap' | 'type' | 'strings' | 'list' | 'count' | 'number' | 'bound' | 'boolean' | 'pattern' | 'ref';

const SHAPES: Record<string, Shape> = {
  type: 'type',
  nullable: 'boolean',
  enum: 'list',
  properties: 'schemaMap',
  required: 'strings',
  additionalProperties: 'schema',
  items: 'schema',
  prefixItems: 'schemas',
  minItems: 'count',
  maxItems: 'count',
  minLength: 'count',
  maxLength: 'count',
  pattern: 'pattern',
  minimum: 'number',
  maximum: 'number',
  exclusiveMinimum: 'bound',
  exclusiveMaximum: 'bound',
  allOf: 'schemas',
  anyOf: 'schemas',
  oneOf: 'schemas',
  $ref: 'ref',
  $defs: 'schemaMap',
  definitions: 'schemaMap',
};

const SHAPE_EXPECTED: Record<Shape, string> = {
  schema: 'a schema (an object or a boolean)',
  schemas: 'a non-empty array of schemas',
  schemaMap: 'an object whose values are schemas',
  type: `a type (${TYPES.join(', ')}) or a non-empty array of them`,
  strings: 'an array of strings',
  list: 'a non-empty array',
  count: 'a whole number ≥ 0',
  number: 'a number',
  bound: 'a number (or, as in OpenAPI 3.0, a boolean)',
  boolean: 'a boolean',
  pattern: 'a regular expression (ECMA-262)',
  ref: 'a $ref that resolves within this schema (#, #/$defs/…, #/definitions/…)',
};

/** Each subschema with its path in the schema, once its keywords are checked. */
type Visited = Map<JsonSchema, string[]>;

function checkNode(root: Schema, schema: unknown, path: string[], checked: CheckedSchema, visited: Visited): void {
  if (typeof schema === 'boolean') return;
  if (!isRecord(schema)) throw invalid(path, SHAPE_EXPECTED.schema, schema);
  if (visited.has(schema)) return;
  visited.set(schema, path);
  for (const [keyword, shape] of Object.entries(SHAPES)) {
    if (!Object.hasOwn(schema, keyword)) continue;
    const given = schema[keyword];
    const at = [...path, keyword];
    if (!fitsShape(shape, given, root, checked)) throw invalid(at, SHAPE_EXPECTED[shape], given);
    for (const [where, member] of subschemas(shape, given, at, checked)) checkNode(root, member, where, checked, visited);
  }
}

function fitsShape(shape: Shape, given: unknown, root: Schema, checked: CheckedSchema): boolean {
  switch (shape) {
    case 'schema':
      return true;
    case 'schemas':
      return Array.isArray(given) && given.length > 0;
    case 'schemaMap':
      return isRecord(given);
    case 'type':
      return typeof given === 'string' ? TYPES.includes(given) : Array.isArray(given) && given.length > 0 && given.every((type) => TYPES.includes(type));
    case 'strings':
      return Array.isArray(given) && given.every((key) => typeof key === 'string');
    case 'list':
      return Array.isArray(given) && given.length > 0;
    case 'count':
      return Number.isInteger(given) && (given as number) >= 0;
    case 'number':
      return typeof given === 'number' && Number.isFinite(given);
    case 'bound':
      return typeof given === 'boolean' || (typeof given === 'number' && Number.isFinite(given));
    case 'boolean':
      return typeof given === 'boolean';
    case 'pattern':
      return typeof given === 'string' && compiles(given, checked);
    case 'ref':
      return typeof given === 'string' && resolves(given, root, checked);
  }
}

/** The schemas a keyword holds or points to, with their paths in the schema. */
function subschemas(shape: Shape, given: unknown, at: string[], checked: CheckedSchema): Array<[string[], unknown]> {
  switch (shape) {
    case 'schema':
      return [[at, given]];
    case 'schemas':
      return (given as unknown[]).map((member, i) => [[...at, String(i)], member]);
    case 'schemaMap':
      return Object.entries(given as Record<string, unknown>).map(([key, member]) => [[...at, key], member]);
    case 'ref':
      return [[pointerPath(given as string) as string[], checked.refs.get(given as string)]];
    default:
      return [];
  }
}

function compiles(pattern: string, checked: CheckedSchema): boolean {
  for (const flags of ['u', '']) {
    try {
      checked.patterns.set(pattern, new RegExp(pattern, flags));
      return true;
    } catch {
      // not a regular expression with these flags
    }
  }
  return false;
}

/** A `$ref` within the schema: a JSON Pointer (`#`, `#/$defs/point`, `#/definitions/a~1b`) to a schema. */
function resolves(ref: string, root: Schema, checked: CheckedSchema): boolean {
  const target = pointerPath(ref)?.reduce<unknown>((at, key) => ((isRecord(at) || Array.isArray(at)) && Object.hasOwn(at, key) ? (at as Record<string, unknown>)[key] : undefined), root);
  if (typeof target !== 'boolean' && !isRecord(target)) return false;
  checked.refs.set(ref, target);
  return true;
}

function pointerPath(ref: string): string[] | undefined {
  if (ref === '#') return [];
  if (!ref.startsWith('#/')) return undefined;
  try {
    return ref.slice(2).split('/').map((key) => decodeURIComponent(key).replace(/~1/g, '/').replace(/~0/g, '~'));
  } catch {
    return undefined;
  }
}

/**
 * Refuses a schema that applies to the same value again without descending into it (`$ref`s that
 * lead back to themselves through `$ref`, `allOf`, `anyOf`, `oneOf`): its walk would never end.
 */
function refuseLoops(schema: JsonSchema, path: string[], checked: CheckedSchema, loopFree: Set<JsonSchema>, open: Set<JsonSchema>): void {
  if (loopFree.has(schema)) return;
  open.add(schema);
  for (const next of sameValue(schema, path, checked)) {
    if (open.has(next.schema)) throw invalid(next.at, 'a $ref that descends into a property or an item before it leads back to itself', next.at[next.at.length - 1] === '$ref' ? schema.$ref : next.schema);
    refuseLoops(next.schema, next.path, checked, loopFree, open);
  }
  open.delete(schema);
  loopFree.add(schema);
}

/** The subschemas that apply to the value a schema applies to: `at` where the schema names them, `path` where they are. */
function sameValue(schema: JsonSchema, path: string[], checked: CheckedSchema): Array<{ schema: JsonSchema; at: string[]; path: string[] }> {
  const next: Array<{ schema: JsonSchema; at: string[]; path: string[] }> = [];
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    ((schema[keyword] as Schema[] | undefined) ?? []).forEach((member, i) => {
      if (typeof member !== 'boolean') next.push({ schema: member, at: [...path, keyword, String(i)], path: [...path, keyword, String(i)] });
    });
  }
  const target = typeof schema.$ref === 'string' ? checked.refs.get(schema.$ref) : undefined;
  if (target !== undefined && typeof target !== 'boolean') next.push({ schema: target, at: [...path, '$ref'], path: pointerPath(schema.$ref as string) as string[] });
  return next;
}

function invalid(path: string[], expected: string, got: unknown): ConfigError {
  return new ConfigError('JSON Schema', [{ path: path.join('.') || '(root)', expected, got: render(got) }]);
}
