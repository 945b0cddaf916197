import type * as t from 'io-ts';
import { ConfigError } from './errors/configError';

/** A JSON Schema, as the APIs take it. */
export type JsonSchema = Record<string, unknown>;

/**
 * How strict the schema must be, after the API it goes to:
 * - `'open'`: plain JSON Schema (optional keys left out of `required`, records as
 *   `additionalProperties: <values>`); every object of a `t.type` / `t.partial` is closed
 *   (`additionalProperties: false`), since the codec names every key the answer may have;
 * - `'closed'`: the same, and no open-ended object at all (a `t.record` of strings is refused), as
 *   Anthropic's structured outputs want;
 * - `'strict'`: OpenAI's strict mode: closed objects, every key in `required`, an optional key
 *   (`t.partial`) required and nullable (`anyOf: [T, { type: 'null' }]`), an object at the root.
 */
export type SchemaMode = 'open' | 'closed' | 'strict';

/** Where an io-ts codec keeps what it is made of (the `_tag`ged classes of io-ts 2). */
type Tagged = t.Mixed & {
  _tag?: string;
  props?: Record<string, t.Mixed>;
  type?: t.Mixed;
  types?: t.Mixed[];
  value?: unknown;
  keys?: Record<string, unknown>;
  domain?: t.Mixed;
  codomain?: t.Mixed;
};

const describable =
  'a codec rxllm can describe as JSON Schema (t.type, t.partial, t.array, t.string, t.number, t.boolean, t.literal, t.union, t.keyof, t.null, t.record, t.intersection, t.readonly, t.exact, or a refinement of one)';

/**
 * The JSON Schema of an io-ts codec, for a structured answer: walks the codec by its `_tag`
 * (`InterfaceType`, `PartialType`, `ArrayType`, `ReadonlyType`, `ReadonlyArrayType`, `ExactType`,
 * `StrictType`, `UnionType`, `LiteralType`, `KeyofType`, `NullType`, `RecordType`,
 * `IntersectionType`, `DictionaryType` (a `t.record`), `StringType`, `NumberType`, `BooleanType`; a refinement or a brand as its base,
 * `t.Int` as `integer`). Literals are `enum`s of one value (Gemini takes no `const`), a union of
 * string literals one `enum`. A codec it cannot describe (`t.unknown`, `t.any`, `t.function`, a
 * custom `t.Type`, a recursive one) is a `ConfigError` naming its path under `at`.
 *
 * @example
 * jsonSchemaOf(t.type({ name: t.string, tags: t.array(t.string) }));
 * // { type: 'object', properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
 * //   required: ['name', 'tags'], additionalProperties: false }
 * jsonSchemaOf(t.type({ address: t.type({ zip: t.unknown }) }));
 * // ConfigError: Invalid options: output.schema.address.zip: expected a codec rxllm can describe as JSON Schema (…), got unknown
 */
export function jsonSchemaOf(codec: t.Mixed, mode: SchemaMode = 'open', at = 'output.schema'): JsonSchema {
  const schema = walk(codec as Tagged, mode, at, new Set());
  if (mode === 'strict' && schema.type !== 'object') {
    throw refusal(at, 'an object codec at the root (t.type, t.partial, …): strict structured outputs take an object at the root', codec.name);
  }
  return schema;
}

function refusal(path: string, expected: string, got: string): ConfigError {
  return new ConfigError('options', [{ path, expected, got }]);
}

function walk(codec: Tagged, mode: SchemaMode, path: string, seen: Set<t.Mixed>): JsonSchema {
  if (seen.has(codec)) throw refusal(path, `${describable}; not a recursive one`, codec.name);
  seen.add(codec);
  try {
    return describe(codec, mode, path, seen);
  } finally {
    seen.delete(codec);
  }
}

function describe(codec: Tagged, mode: SchemaMode, path: string, seen: Set<t.Mixed>): JsonSchema {
  switch (codec._tag) {
    case 'StringType':
      return { type: 'string' };
    case 'NumberType':
      return { type: 'number' };
    case 'BooleanType':
      return { type: 'boolean' };
    case 'NullType':
      return { type: 'null' };
    case 'LiteralType': {
      const value = codec.value;
      return { type: value === null ? 'null' : typeof value, enum: [value] };
    }
    case 'KeyofType':
      return { type: 'string', enum: Object.keys(codec.keys ?? {}) };
    case 'InterfaceType':
    case 'PartialType':
      return objectOf(codec.props ?? {}, codec._tag === 'InterfaceType', mode, path, seen);
    case 'ExactType':
    case 'StrictType':
    case 'ReadonlyType':
      return walk(codec.type as Tagged, mode, path, seen);
    case 'RefinementType':
      // a brand or a refinement: its base (t.Int is a brand of t.number named Int)
      if (codec.name === 'Int') return { type: 'integer' };
      return walk(codec.type as Tagged, mode, path, seen);
    case 'ArrayType':
    case 'ReadonlyArrayType':
      return { type: 'array', items: walk(codec.type as Tagged, mode, `${path}[]`, seen) };
    case 'UnionType':
      return unionOf(codec.types ?? [], mode, path, seen);
    case 'IntersectionType':
      return intersectionOf(codec, mode, path, seen);
    case 'DictionaryType':
    case 'RecordType':
      return recordOf(codec, mode, path, seen);
    default:
      throw refusal(path, describable, codec.name);
  }
}

function objectOf(props: Record<string, t.Mixed>, required: boolean, mode: SchemaMode, path: string, seen: Set<t.Mixed>): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, prop] of Object.entries(props)) {
    const schema = walk(prop as Tagged, mode, `${path}.${key}`, seen);
    // strict: every key is required, so an optional one says "absent" with null
    properties[key] = !required && mode === 'strict' && !acceptsNull(schema) ? { anyOf: [schema, { type: 'null' }] } : schema;
  }
  const keys = Object.keys(properties);
  return { type: 'object', properties, required: required || mode === 'strict' ? keys : [], additionalProperties: false };
}

function acceptsNull(schema: JsonSchema): boolean {
  if (schema.type === 'null') return true;
  return Array.isArray(schema.anyOf) && (schema.anyOf as JsonSchema[]).some((member) => member.type === 'null');
}

function unionOf(members: t.Mixed[], mode: SchemaMode, path: string, seen: Set<t.Mixed>): JsonSchema {
  const schemas = members.map((member) => walk(member as Tagged, mode, path, seen));
  // string (or number) literals and keyofs: one enum
  const kinds = new Set(schemas.map((s) => (Array.isArray(s.enum) && Object.keys(s).length === 2 ? s.type : undefined)));
  if (kinds.size === 1 && !kinds.has(undefined) && !kinds.has('null')) {
    return { type: [...kinds][0], enum: [...new Set(schemas.flatMap((s) => s.enum as unknown[]))] };
  }
  return { anyOf: schemas.flatMap((s) => (Array.isArray(s.anyOf) && Object.keys(s).length === 1 ? (s.anyOf as JsonSchema[]) : [s])) };
}

function intersectionOf(codec: Tagged, mode: SchemaMode, path: string, seen: Set<t.Mixed>): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const member of codec.types ?? []) {
    const schema = walk(member as Tagged, mode, path, seen);
    if (schema.type !== 'object' || typeof schema.properties !== 'object') {
      throw refusal(path, 'an intersection of objects (t.type, t.partial, …)', `an intersection with ${member.name}`);
    }
    for (const [key, property] of Object.entries(schema.properties as Record<string, JsonSchema>)) {
      // two members that give one key two schemas: the value must meet both, which one schema cannot say here
      if (key in properties && JSON.stringify(properties[key]) !== JSON.stringify(property)) {
        throw refusal(`${path}.${key}`, 'one schema for a key across the members of an intersection (declare the key once)', `${JSON.stringify(properties[key])} and ${JSON.stringify(property)}`);
      }
      properties[key] = property;
    }
    for (const key of schema.required as string[]) if (!required.includes(key)) required.push(key);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

function recordOf(codec: Tagged, mode: SchemaMode, path: string, seen: Set<t.Mixed>): JsonSchema {
  const domain = codec.domain as Tagged;
  // a record over known keys is an object with those keys
  if (domain._tag === 'KeyofType' || (domain._tag === 'UnionType' && (domain.types ?? []).every((d) => (d as Tagged)._tag === 'LiteralType'))) {
    const keys = domain._tag === 'KeyofType' ? Object.keys(domain.keys ?? {}) : (domain.types ?? []).map((d) => String((d as Tagged).value));
    const props = Object.fromEntries(keys.map((key) => [key, codec.codomain as t.Mixed]));
    return objectOf(props, true, mode, path, seen);
  }
  if (domain._tag !== 'StringType') throw refusal(path, 'a record with string keys (t.record(t.string, …))', codec.name);
  if (mode !== 'open') {
    const why = mode === 'strict' ? 'strict structured outputs take only closed objects: pass output.strict: false, or use t.type' : "this API's structured outputs take only closed objects: use t.type";
    throw refusal(path, `${describable}; not a record with open-ended keys (${why})`, codec.name);
  }
  return { type: 'object', additionalProperties: walk(codec.codomain as Tagged, mode, `${path}.*`, seen) };
}
