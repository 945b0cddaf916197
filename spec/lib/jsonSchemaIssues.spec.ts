import fc from 'fast-check';
import * as t from 'io-ts';
import { checkJsonSchema } from '../../lib/checkJsonSchema';
import { ConfigError } from '../../lib/errors/configError';
import { jsonSchemaIssues } from '../../lib/jsonSchemaIssues';
import { jsonSchemaOf, type JsonSchema, type SchemaMode } from '../../lib/jsonSchemaOf';
import { jsonValue } from '../support/partialJsonProperty';

type Row = [string, JsonSchema | boolean, unknown, Array<[path: string, expected: string, got: string]>];

const issues = (schema: JsonSchema | boolean, value: unknown) => jsonSchemaIssues(schema, value).map(({ path, expected, got }) => [path, expected, got]);

const object = (properties: Record<string, JsonSchema | boolean>, more: JsonSchema = {}): JsonSchema => ({ type: 'object', properties, ...more });

describe('jsonSchemaIssues: the issues of a value against a JSON Schema', () => {
  const rows: Row[] = [
    // true, {}, false
    ['true accepts anything', true, { any: ['thing'] }, []],
    ['{} accepts anything', {}, null, []],
    ['false accepts nothing', false, 1, [['(root)', 'no value here', '1']]],
    // type
    ['a string', { type: 'string' }, 'Paris', []],
    ['not a string', { type: 'string' }, 42, [['(root)', 'a string', '42']]],
    ['a number', { type: 'number' }, 2.5, []],
    ['an integer is a number', { type: 'number' }, 3, []],
    ['not a whole number', { type: 'integer' }, 2.5, [['(root)', 'a whole number', '2.5']]],
    ['1.0 is a whole number', { type: 'integer' }, 1.0, []],
    ['a string is no number', { type: 'number' }, '3', [['(root)', 'a number', '"3"']]],
    ['a boolean', { type: 'boolean' }, 'true', [['(root)', 'a boolean', '"true"']]],
    ['null', { type: 'null' }, 0, [['(root)', 'null', '0']]],
    ['an object', { type: 'object' }, [], [['(root)', 'an object', '[]']]],
    ['null is no object', { type: 'object' }, null, [['(root)', 'an object', 'null']]],
    ['an array', { type: 'array' }, { 0: 'a' }, [['(root)', 'an array', '{"0":"a"}']]],
    ['a list of types', { type: ['string', 'null'] }, 1, [['(root)', 'a string or null', '1']]],
    ['a list of types, fitting', { type: ['string', 'null'] }, null, []],
    // nullable
    ['nullable: null fits', { type: 'string', nullable: true }, null, []],
    ['nullable: said in the issue', { type: 'integer', minimum: 1, nullable: true }, 0, [['(root)', 'a whole number ≥ 1 or null', '0']]],
    ['nullable: false changes nothing', { type: 'string', nullable: false }, null, [['(root)', 'a string', 'null']]],
    ['nullable enum', { enum: ['celsius', 'fahrenheit'], nullable: true }, 'kelvin', [['(root)', 'one of "celsius", "fahrenheit" or null', '"kelvin"']]],
    // enum, const
    ['enum', { type: 'string', enum: ['celsius', 'fahrenheit'] }, 'kelvin', [['(root)', 'one of "celsius", "fahrenheit"', '"kelvin"']]],
    ['enum, wrong type too', { type: 'string', enum: ['celsius', 'fahrenheit'] }, 3, [['(root)', 'one of "celsius", "fahrenheit"', '3']]],
    ['enum of one', { enum: ['only'] }, 'other', [['(root)', '"only"', '"other"']]],
    ['enum of mixed values', { enum: [1, 'one', null, { a: [1] }] }, { a: [1] }, []],
    ['enum compares objects by value, not key order', { enum: [{ a: 1, b: 2 }] }, { b: 2, a: 1 }, []],
    ['enum compares arrays in order', { enum: [[1, 2]] }, [2, 1], [['(root)', '[1,2]', '[2,1]']]],
    ['const', { const: 'circle' }, 'square', [['(root)', '"circle"', '"square"']]],
    ['const object', { const: { x: 1 } }, { x: 1 }, []],
    ['const null', { const: null }, undefined, [['(root)', 'null', 'undefined']]],
    // strings: lengths in code points, pattern
    ['minLength', { type: 'string', minLength: 3 }, 'ab', [['(root)', 'a string of at least 3 characters', '"ab"']]],
    ['maxLength', { type: 'string', maxLength: 3 }, 'abcd', [['(root)', 'a string of at most 3 characters', '"abcd"']]],
    ['both lengths', { type: 'string', minLength: 2, maxLength: 4 }, 'a', [['(root)', 'a string of 2 to 4 characters', '"a"']]],
    ['exact length', { type: 'string', minLength: 1, maxLength: 1 }, '', [['(root)', 'a string of exactly 1 character', '""']]],
    ['three emoji are three characters (six UTF-16 units)', { type: 'string', maxLength: 3 }, '😀😀😀', []],
    ['four emoji are four', { type: 'string', maxLength: 3 }, '😀😀😀😀', [['(root)', 'a string of at most 3 characters', '"😀😀😀😀"']]],
    ['CJK: one code point each', { type: 'string', minLength: 2, maxLength: 2 }, '東京', []],
    ['a combining accent is a code point of its own', { type: 'string', maxLength: 1 }, 'e\u0301', [['(root)', 'a string of at most 1 character', '"e\u0301"']]],
    ['lengths apply to strings only', { minLength: 3 }, 12, []],
    ['pattern, unanchored as in JSON Schema', { type: 'string', pattern: '[0-9]' }, 'abc1', []],
    ['pattern refused', { type: 'string', pattern: '^[A-Z]{3}$' }, 'Paris', [['(root)', 'a string matching /^[A-Z]{3}$/', '"Paris"']]],
    ['pattern with unicode classes', { type: 'string', pattern: '^\\p{Script=Han}+$' }, '東京', []],
    ['pattern: an emoji is one character under the u flag', { type: 'string', pattern: '^.$' }, '😀', []],
    ['a pattern that compiles only without the u flag', { type: 'string', pattern: '^a\\-b$' }, 'a-b', []],
    ['length and pattern, one issue', { type: 'string', minLength: 2, pattern: '^[a-z]+$' }, 'A', [['(root)', 'a string of at least 2 characters matching /^[a-z]+$/', '"A"']]],
    // numbers
    ['minimum', { type: 'number', minimum: 0 }, -1, [['(root)', 'a number ≥ 0', '-1']]],
    ['minimum, fitting at the bound', { type: 'number', minimum: 0 }, 0, []],
    ['exclusiveMinimum', { type: 'number', exclusiveMinimum: 0 }, 0, [['(root)', 'a number > 0', '0']]],
    ['maximum', { type: 'integer', maximum: 10 }, 11, [['(root)', 'a whole number ≤ 10', '11']]],
    ['exclusiveMaximum', { type: 'number', exclusiveMaximum: 1 }, 1, [['(root)', 'a number < 1', '1']]],
    ['a range', { type: 'integer', minimum: 1, maximum: 5 }, 6, [['(root)', 'a whole number from 1 to 5', '6']]],
    ['a half-open range', { type: 'number', minimum: 0, exclusiveMaximum: 1 }, 1, [['(root)', 'a number ≥ 0 and < 1', '1']]],
    ['a range, wrong type', { type: 'integer', minimum: 1, maximum: 5 }, 'three', [['(root)', 'a whole number from 1 to 5', '"three"']]],
    ['bounds apply to numbers only', { minimum: 3 }, 'a', []],
    ['exclusiveMinimum: true, as in OpenAPI 3.0', { type: 'number', minimum: 0, exclusiveMinimum: true }, 0, [['(root)', 'a number > 0', '0']]],
    ['exclusiveMaximum: false, as in OpenAPI 3.0', { type: 'number', minimum: 0, maximum: 1, exclusiveMaximum: false }, 2, [['(root)', 'a number from 0 to 1', '2']]],
    // arrays
    ['items', { type: 'array', items: { type: 'string' } }, ['a', 1, 'c', true], [['1', 'a string', '1'], ['3', 'a string', 'true']]],
    ['minItems', { type: 'array', minItems: 1 }, [], [['(root)', 'an array of at least 1 item', '[]']]],
    ['maxItems, and the items too', { type: 'array', maxItems: 2, items: { type: 'integer' } }, [1, 2, 'x'], [['(root)', 'an array of at most 2 items', '[1,2,"x"]'], ['2', 'a whole number', '"x"']]],
    ['both counts', { type: 'array', minItems: 2, maxItems: 3 }, [1], [['(root)', 'an array of 2 to 3 items', '[1]']]],
    ['prefixItems, then items', { type: 'array', prefixItems: [{ type: 'number' }, { type: 'string' }], items: { type: 'boolean' } }, [1, 2, true, 'no'], [['1', 'a string', '2'], ['3', 'a boolean', '"no"']]],
    ['prefixItems, the rest free', { type: 'array', prefixItems: [{ type: 'number' }] }, [1, 'any', null], []],
    ['prefixItems, items: false: a maximum', { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], items: false }, [1, 2, 3], [['(root)', 'an array of at most 2 items', '[1,2,3]']]],
    ['a shorter tuple is fine', { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }] }, [1], []],
    // objects
    ['required', object({ city: { type: 'string' } }, { required: ['city'] }), {}, [['city', 'a string', 'undefined']]],
    ['required, undeclared', { type: 'object', required: ['city'] }, {}, [['city', 'a value', 'undefined']]],
    ['required, with a range', object({ days: { type: 'integer', minimum: 1, maximum: 7 } }, { required: ['days'] }), {}, [['days', 'a whole number from 1 to 7', 'undefined']]],
    ['properties', object({ city: { type: 'string' }, days: { type: 'integer' } }), { city: 3, days: 2 }, [['city', 'a string', '3']]],
    ['additionalProperties: false', object({ city: { type: 'string' }, units: {} }, { additionalProperties: false }), { city: 'Paris', country: 'FR' }, [['country', 'no such key (allowed: "city", "units")', '"FR"']]],
    ['additionalProperties: false, no properties', { type: 'object', additionalProperties: false }, { a: 1 }, [['a', 'no such key (the object takes none)', '1']]],
    ['additionalProperties: a schema', { type: 'object', additionalProperties: { type: 'number' } }, { a: 1, b: '2' }, [['b', 'a number', '"2"']]],
    ['additionalProperties leaves declared keys alone', object({ name: { type: 'string' } }, { additionalProperties: { type: 'number' } }), { name: 'x', n: 1 }, []],
    ['keys of Object.prototype are no properties', object({ city: { type: 'string' } }, { additionalProperties: false, required: ['constructor'] }), { toString: 1 }, [['toString', 'no such key (allowed: "city")', '1'], ['constructor', 'a value', 'undefined']]],
    ['a key named __proto__', JSON.parse('{"type": "object", "properties": {"__proto__": {"type": "string"}}, "additionalProperties": false}'), JSON.parse('{"__proto__": 1}'), [['__proto__', 'a string', '1']]],
    // nested paths, several issues at once
    [
      'nested paths and several issues',
      object(
        {
          city: { type: 'string', minLength: 1 },
          stops: { type: 'array', items: object({ name: { type: 'string' }, minutes: { type: 'integer', minimum: 0 } }, { required: ['name'], additionalProperties: false }) },
        },
        { required: ['city', 'stops'], additionalProperties: false },
      ),
      { city: '', stops: [{ name: 'Lyon' }, { name: 'Dijon', minutes: -5 }, { minutes: 3, note: 'x' }], extra: true },
      [
        ['city', 'a string of at least 1 character', '""'],
        ['stops.1.minutes', 'a whole number ≥ 0', '-5'],
        ['stops.2.note', 'no such key (allowed: "name", "minutes")', '"x"'],
        ['stops.2.name', 'a string', 'undefined'],
        ['extra', 'no such key (allowed: "city", "stops")', 'true'],
      ],
    ],
    ['unicode keys and values', object({ 都市: { type: 'string', maxLength: 2 } }), { 都市: '東京都' }, [['都市', 'a string of at most 2 characters', '"東京都"']]],
    ['a long value is cut short', { type: 'string' }, Array.from({ length: 40 }, (_, i) => i), [['(root)', 'a string', `${JSON.stringify(Array.from({ length: 40 }, (_, i) => i)).slice(0, 59)}…`]]],
    // allOf
    ['allOf: each member', { allOf: [{ type: 'number' }, { minimum: 1 }, { maximum: 3 }] }, 5, [['(root)', 'a number ≤ 3', '5']]],
    ['allOf: objects merged by their checks', { allOf: [object({ a: { type: 'string' } }, { required: ['a'] }), object({ b: { type: 'number' } }, { required: ['b'] })] }, { b: 'x' }, [['a', 'a string', 'undefined'], ['b', 'a number', '"x"']]],
    ['allOf: the same issue once', { allOf: [{ type: 'string' }, { type: 'string' }] }, 1, [['(root)', 'a string', '1']]],
  ];

  test.each(rows)('%s', (_, schema, value, expected) => {
    expect(issues(schema, value)).toEqual(expected);
  });

  test('the example of the doc comment', () => {
    const weather = object({ city: { type: 'string', minLength: 1 }, units: { enum: ['celsius', 'fahrenheit'] } }, { required: ['city'], additionalProperties: false });
    expect(jsonSchemaIssues(weather, { city: 'Paris', units: 'kelvin', days: 3 })).toEqual([
      { path: 'units', expected: 'one of "celsius", "fahrenheit"', got: '"kelvin"' },
      { path: 'days', expected: 'no such key (allowed: "city", "units")', got: '3' },
    ]);
    expect(jsonSchemaIssues(weather, {})).toEqual([{ path: 'city', expected: 'a string of at least 1 character', got: 'undefined' }]);
  });
});

describe('anyOf and oneOf: the value fits one branch', () => {
  const circle = object({ kind: { const: 'circle' }, r: { type: 'number', exclusiveMinimum: 0 } }, { required: ['kind', 'r'], additionalProperties: false });
  const square = object({ kind: { const: 'square' }, side: { type: 'number', exclusiveMinimum: 0 } }, { required: ['kind', 'side'], additionalProperties: false });
  const shape = { anyOf: [circle, square] };

  test.each<Row>([
    ['a branch fits', { anyOf: [{ type: 'string' }, { type: 'null' }] }, null, []],
    ['every branch refuses the value itself: one issue listing them', { anyOf: [{ type: 'string' }, { type: 'integer', minimum: 0 }, { type: 'null' }] }, -1, [['(root)', 'a string or a whole number ≥ 0 or null', '-1']]],
    ['the closest branch: the circle whose r is wrong', shape, { kind: 'circle', r: 'big' }, [['r', 'a number > 0', '"big"']]],
    ['the closest branch: the square', shape, { kind: 'square', side: -1 }, [['side', 'a number > 0', '-1']]],
    ['a tie: the fewest issues, then the first', shape, { kind: 'triangle', r: 1 }, [['kind', '"circle"', '"triangle"']]],
    ['an object is no array: the array branch, deeper', { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }, ['a', 2], [['1', 'a string', '2']]],
    ['nested under a key', object({ shape }), { shape: { kind: 'circle', r: 0 } }, [['shape.r', 'a number > 0', '0']]],
    ['a missing required union: its branches', object({ when: { anyOf: [{ type: 'string' }, { type: 'integer' }] } }, { required: ['when'] }), {}, [['when', 'a string or a whole number', 'undefined']]],
    ['oneOf: exactly one fits', { oneOf: [{ type: 'string' }, { type: 'integer' }] }, 3, []],
    ['oneOf: none fits', { oneOf: [{ type: 'string' }, { type: 'integer' }] }, 3.5, [['(root)', 'a string or a whole number', '3.5']]],
    ['oneOf: two fit', { oneOf: [{ type: 'number' }, { type: 'integer' }] }, 3, [['(root)', 'exactly one of a number, a whole number (it fits 2)', '3']]],
    ['anyOf with the object keywords beside it', { type: 'object', required: ['id'], anyOf: [{ required: ['a'] }, { required: ['b'] }] }, { a: 1 }, [['id', 'a value', 'undefined']]],
  ])('%s', (_, schema, value, expected) => {
    expect(issues(schema, value)).toEqual(expected);
  });

  test('nested anyOf of objects: each object is read once per schema, not once per path through the branches', () => {
    // 20 levels, each an anyOf of two objects that both lead to the next level: 2^20 paths
    const depth = 20;
    let schema: JsonSchema = { type: 'integer' };
    for (let i = 0; i < depth; i++) schema = { anyOf: [object({ next: schema, a: { type: 'string' } }, { required: ['next', 'a'] }), object({ next: schema, b: { type: 'string' } }, { required: ['next', 'b'] })] };
    let reads = 0;
    let value: unknown = 'the end';
    for (let i = 0; i < depth; i++) {
      value = new Proxy(
        { next: value, a: 'x' },
        {
          ownKeys: (target) => {
            reads += 1;
            return Reflect.ownKeys(target);
          },
        },
      );
    }
    expect(jsonSchemaIssues(schema, value)).toEqual([{ path: Array(depth).fill('next').join('.'), expected: 'a whole number', got: '"the end"' }]);
    // each level is read by the two objects of its anyOf, once each
    expect(reads).toBe(2 * depth);
  });
});

describe('$ref', () => {
  const tree: JsonSchema = {
    $defs: { node: object({ name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } }, { required: ['name'], additionalProperties: false }) },
    $ref: '#/$defs/node',
  };

  test.each<Row>([
    ['to $defs, recursive: the walk follows the value', tree, { name: 'a', children: [{ name: 'b', children: [{ name: 3 }, { title: 'c' }] }] }, [['children.0.children.0.name', 'a string', '3'], ['children.0.children.1.title', 'no such key (allowed: "name", "children")', '"c"'], ['children.0.children.1.name', 'a string', 'undefined']]],
    ['to definitions', { definitions: { celsius: { type: 'number', minimum: -273.15 } }, properties: { t: { $ref: '#/definitions/celsius' } } }, { t: -300 }, [['t', 'a number ≥ -273.15', '-300']]],
    ['to the root', { type: 'array', items: { anyOf: [{ type: 'integer' }, { $ref: '#' }] } }, [1, [2, ['x']]], [['1.1.0', 'a whole number or an array', '"x"']]],
    ['escaped in the pointer (~1 is /, ~0 is ~, and percent-encoding)', { $defs: { 'a/b': { type: 'string' }, 'c~d e': { type: 'number' } }, prefixItems: [{ $ref: '#/$defs/a~1b' }, { $ref: '#/$defs/c~0d%20e' }] }, [1, 'x'], [['0', 'a string', '1'], ['1', 'a number', '"x"']]],
    ['with keywords beside it, both apply', { $defs: { n: { type: 'number' } }, $ref: '#/$defs/n', minimum: 1 }, 0, [['(root)', 'a number ≥ 1', '0']]],
    ['to a boolean schema', { $defs: { no: false }, properties: { x: { $ref: '#/$defs/no' } } }, { x: 1 }, [['x', 'no value here', '1']]],
  ])('%s', (_, schema, value, expected) => {
    expect(issues(schema, value)).toEqual(expected);
  });
});

describe('a schema that cannot be checked is a ConfigError naming its path in the schema, whatever the value', () => {
  const thrown = (schema: unknown) => {
    try {
      jsonSchemaIssues(schema as JsonSchema, {});
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).issues.map(({ path, expected, got }) => [path, expected, got]);
    }
    throw new Error('nothing thrown');
  };

  test.each<[string, unknown, [string, string, string]]>([
    ['a root that is no schema', 'string', ['(root)', 'a schema (an object or a boolean)', '"string"']],
    ['null', null, ['(root)', 'a schema (an object or a boolean)', 'null']],
    ['a property that is no schema', object({ city: 'string' as unknown as JsonSchema }), ['properties.city', 'a schema (an object or a boolean)', '"string"']],
    ['items as a list (draft 7 tuples): prefixItems now', { type: 'array', items: [{ type: 'string' }] }, ['items', 'a schema (an object or a boolean)', '[{"type":"string"}]']],
    ['an unknown type', { type: 'text' }, ['type', 'a type (string, number, integer, boolean, null, object, array) or a non-empty array of them', '"text"']],
    ['an empty anyOf', { anyOf: [] }, ['anyOf', 'a non-empty array of schemas', '[]']],
    ['a member of anyOf, deep', { properties: { a: { items: { anyOf: [{}, 3] } } } }, ['properties.a.items.anyOf.1', 'a schema (an object or a boolean)', '3']],
    ['required that is no list of names', { required: 'city' }, ['required', 'an array of strings', '"city"']],
    ['a negative count', { maxLength: -1 }, ['maxLength', 'a whole number ≥ 0', '-1']],
    ['a bound that is no number', { minimum: '0' }, ['minimum', 'a number', '"0"']],
    ['a pattern that is no regular expression', { pattern: '([a-z]' }, ['pattern', 'a regular expression (ECMA-262)', '"([a-z]"']],
    ['a $ref that does not resolve', { properties: { a: { $ref: '#/$defs/missing' } } }, ['properties.a.$ref', 'a $ref that resolves within this schema (#, #/$defs/…, #/definitions/…)', '"#/$defs/missing"']],
    ['a $ref outside the schema', { $ref: 'https://example.com/schema.json' }, ['$ref', 'a $ref that resolves within this schema (#, #/$defs/…, #/definitions/…)', '"https://example.com/schema.json"']],
    ['a $ref to something that is no schema', { $defs: { a: { type: 'string' } }, $ref: '#/$defs/a/type' }, ['$ref', 'a $ref that resolves within this schema (#, #/$defs/…, #/definitions/…)', '"#/$defs/a/type"']],
    ['an empty enum', { enum: [] }, ['enum', 'a non-empty array', '[]']],
    ['a bad schema a $ref points to, outside $defs', { $ref: '#/x-shared/point', 'x-shared': { point: { type: 'strin' } } }, ['x-shared.point.type', 'a type (string, number, integer, boolean, null, object, array) or a non-empty array of them', '"strin"']],
    ['a bad schema in $defs, used or not', { $defs: { unused: { type: 'strin' } } }, ['$defs.unused.type', 'a type (string, number, integer, boolean, null, object, array) or a non-empty array of them', '"strin"']],
    ['a $ref to itself', { $defs: { a: { $ref: '#/$defs/a' } } }, ['$defs.a.$ref', 'a $ref that descends into a property or an item before it leads back to itself', '"#/$defs/a"']],
    ['a loop through anyOf and allOf', { $defs: { a: { anyOf: [{ type: 'string' }, { allOf: [{ $ref: '#/$defs/b' }] }] }, b: { $ref: '#/$defs/a' } }, properties: { x: { $ref: '#/$defs/a' } } }, ['$defs.b.$ref', 'a $ref that descends into a property or an item before it leads back to itself', '"#/$defs/a"']],
  ])('%s', (_, schema, expected) => {
    expect(thrown(schema)).toEqual([expected]);
  });

  test('the message says where and what', () => {
    expect(() => jsonSchemaIssues(object({ city: 'string' as unknown as JsonSchema }), {})).toThrow('Invalid JSON Schema: properties.city: expected a schema (an object or a boolean), got "string"');
  });

  test("checkJsonSchema alone: a tool's parameters checked once, before any value", () => {
    const checked = checkJsonSchema({ type: 'object', properties: { city: { type: 'string', pattern: '^\\p{Lu}' } } });
    expect(checked.patterns.get('^\\p{Lu}')).toEqual(/^\p{Lu}/u);
    expect(checked.refs.size).toBe(0);
    expect(() => checkJsonSchema({ items: { $ref: '#/$defs/stop' } })).toThrow(
      'Invalid JSON Schema: items.$ref: expected a $ref that resolves within this schema (#, #/$defs/…, #/definitions/…), got "#/$defs/stop"',
    );
  });

  test('a schema that recurses through a property is no loop', () => {
    expect(issues({ $defs: { list: object({ next: { anyOf: [{ type: 'null' }, { $ref: '#/$defs/list' }] } }) }, $ref: '#/$defs/list' }, { next: { next: null } })).toEqual([]);
  });
});

// ---- agreement with io-ts ----

/** A codec that jsonSchemaOf describes, with an arbitrary of values of its shape (mostly fitting). */
interface Case {
  codec: t.Mixed;
  value: fc.Arbitrary<unknown>;
}

const near = fc.constantFrom<unknown>(null, true, 0, -1, 2.5, '', 'a', '😀', [], {});

const leaf = fc.constantFrom<Case>(
  { codec: t.string, value: fc.string({ unit: 'grapheme', maxLength: 4 }) },
  { codec: t.number, value: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { codec: t.Int, value: fc.oneof(fc.integer(), fc.constant(0.5)) },
  { codec: t.boolean, value: fc.boolean() },
  { codec: t.null, value: fc.constant(null) },
  { codec: t.literal('ok'), value: fc.constantFrom('ok', 'OK') },
  { codec: t.literal(3), value: fc.constantFrom(3, 4) },
  { codec: t.literal(false), value: fc.boolean() },
  { codec: t.keyof({ low: null, high: null }), value: fc.constantFrom('low', 'high', 'mid') },
);

const mostly = (value: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: value, weight: 4 }, { arbitrary: near, weight: 1 });

/** An object codec over some of `keys`, with its shaped values: every key present for t.type, some for t.partial. */
function objectCase(keys: string[], inner: fc.Arbitrary<Case>): fc.Arbitrary<Case> {
  return fc.tuple(fc.subarray(keys, { minLength: 1 }), fc.array(inner, { minLength: keys.length, maxLength: keys.length }), fc.boolean()).map(([chosen, members, required]) => {
    const props = Object.fromEntries(chosen.map((key, i) => [key, members[i].codec]));
    const shapes = Object.fromEntries(chosen.map((key, i) => [key, mostly(members[i].value)]));
    const value = fc.record(shapes, required ? {} : { requiredKeys: [] });
    return { codec: required ? t.type(props) : t.partial(props), value };
  });
}

function caseOf(openRecords: boolean): fc.Arbitrary<Case> {
  const { node } = fc.letrec<{ node: Case }>((tie) => {
    const inner = tie('node');
    const compound: Array<fc.Arbitrary<Case>> = [
      objectCase(['a', 'b', 'c'], inner),
      inner.map(({ codec, value }) => ({ codec: t.array(codec), value: fc.array(mostly(value), { maxLength: 3 }) })),
      inner.map(({ codec, value }) => ({ codec: t.readonlyArray(codec), value: fc.array(mostly(value), { maxLength: 3 }) })),
      fc.array(inner, { minLength: 2, maxLength: 3 }).map((members) => ({ codec: t.union(members.map((m) => m.codec) as [t.Mixed, t.Mixed]), value: fc.oneof(...members.map((m) => m.value)) })),
      // members over disjoint keys: for a key in both, jsonSchemaOf keeps one member's schema (see below)
      fc.tuple(objectCase(['a', 'b'], inner), objectCase(['c', 'd'], inner)).map(([l, r]) => ({ codec: t.intersection([l.codec, r.codec]), value: fc.tuple(l.value, r.value).map(([x, y]) => (isRecord(x) && isRecord(y) ? { ...x, ...y } : x)) })),
      objectCase(['a', 'b'], inner).map(({ codec, value }) => ({ codec: t.readonly(codec), value })),
      objectCase(['a', 'b'], inner).map(({ codec, value }) => ({ codec: t.exact(codec as t.HasProps), value })),
      inner.map(({ codec, value }) => ({ codec: t.record(t.keyof({ x: null, y: null }), codec), value: fc.record({ x: mostly(value), y: mostly(value) }, { requiredKeys: [] }) })),
    ];
    if (openRecords) compound.push(inner.map(({ codec, value }) => ({ codec: t.record(t.string, codec), value: fc.dictionary(fc.string({ maxLength: 3 }), mostly(value), { maxKeys: 3 }) })));
    return { node: fc.oneof({ depthSize: 'small', maxDepth: 3 }, leaf, ...compound) };
  });
  return node;
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/** The schema with every `additionalProperties: false` taken out: the objects as open as io-ts's `is`. */
function opened(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(opened);
  if (!isRecord(schema)) return schema;
  const entries = Object.entries(schema).filter(([key, v]) => !(key === 'additionalProperties' && v === false));
  return Object.fromEntries(entries.map(([key, v]) => [key, key === 'enum' ? v : opened(v)]));
}

const fits = (schema: unknown, value: unknown) => jsonSchemaIssues(schema as JsonSchema, value).length === 0;

describe('agreement with io-ts: codec.is(v) against the issues of jsonSchemaOf(codec, mode)', () => {
  // a counterexample shows the codec by its name
  const named = (codec: t.Mixed) => ({ codec, [fc.toStringMethod]: () => codec.name });
  const valuesOf = (openRecords: boolean) =>
    caseOf(openRecords).chain(({ codec, value }) => fc.tuple(fc.constant(named(codec)), fc.oneof(value, jsonValue)));

  test.each<[SchemaMode, boolean]>([
    ['open', true],
    ['closed', false],
  ])('%s: codec.is(v) ⇔ v fits the schema with its objects opened, for shaped and arbitrary JSON values', (mode, openRecords) => {
    fc.assert(
      fc.property(valuesOf(openRecords), ([{ codec }, value]) => {
        expect(fits(opened(jsonSchemaOf(codec, mode)), value)).toBe(codec.is(value));
      }),
      { numRuns: 500 },
    );
  });

  test.each<[SchemaMode, boolean]>([
    ['open', true],
    ['closed', false],
  ])('%s: the schema as it is never takes what the codec refuses (v fits ⇒ codec.is(v))', (mode, openRecords) => {
    fc.assert(
      fc.property(valuesOf(openRecords), ([{ codec }, value]) => {
        if (fits(jsonSchemaOf(codec, mode), value)) expect(codec.is(value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test("closed gives open's schema for every codec it describes: one equivalence for both", () => {
    fc.assert(
      fc.property(caseOf(false), ({ codec }) => {
        expect(jsonSchemaOf(codec, 'closed')).toEqual(jsonSchemaOf(codec, 'open'));
      }),
    );
  });

  describe('where they disagree, and why', () => {
    test('jsonSchemaOf closes every object (every mode), io-ts `is` (t.type, t.partial, t.exact, t.strict alike) ignores an unknown key', () => {
      for (const codec of [t.type({ city: t.string }), t.exact(t.type({ city: t.string })), t.strict({ city: t.string }), t.partial({ city: t.string })]) {
        expect(codec.is({ city: 'Paris', country: 'FR' })).toBe(true);
        expect(jsonSchemaIssues(jsonSchemaOf(codec), { city: 'Paris', country: 'FR' })).toEqual([{ path: 'country', expected: 'no such key (allowed: "city")', got: '"FR"' }]);
      }
    });

    test('so a union of objects can disagree on a value of no extra key for its branch', () => {
      // {b:'x'} is no { b: number }, but t.partial({ a }) takes it, b being unknown to it
      const codec = t.union([t.partial({ a: t.string }), t.type({ b: t.number })]);
      expect(codec.is({ b: 'x' })).toBe(true);
      expect(fits(jsonSchemaOf(codec), { b: 'x' })).toBe(false);
    });

    test('an intersection whose members give a key two schemas is refused (one schema cannot say both); the same schema twice is one', () => {
      const codec = t.intersection([t.partial({ unit: t.literal('km') }), t.type({ unit: t.string })]);
      expect(() => jsonSchemaOf(codec)).toThrow('Invalid options: output.schema.unit: expected one schema for a key across the members of an intersection (declare the key once), got {"type":"string","enum":["km"]} and {"type":"string"}');
      expect(jsonSchemaOf(t.intersection([t.type({ unit: t.string }), t.type({ unit: t.string, n: t.number })])).properties).toEqual({ unit: { type: 'string' }, n: { type: 'number' } });
    });

    test("strict: an optional key is required and nullable, so t.partial's {} and the schema's null swap places", () => {
      const codec = t.partial({ nickname: t.string });
      const schema = jsonSchemaOf(codec, 'strict');
      expect([codec.is({}), fits(schema, {})]).toEqual([true, false]);
      expect([codec.is({ nickname: null }), fits(schema, { nickname: null })]).toEqual([false, true]);
    });
  });
});
