import * as t from 'io-ts';
import { ConfigError } from '../../lib/errors/configError';
import { jsonSchemaOf } from '../../lib/jsonSchemaOf';

const issuesOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map(({ path, got }) => ({ path, got }));
  }
  throw new Error('no ConfigError');
};

describe('jsonSchemaOf: the JSON Schema of an io-ts codec', () => {
  test('primitives, null, literals and keyof', () => {
    expect(jsonSchemaOf(t.string)).toEqual({ type: 'string' });
    expect(jsonSchemaOf(t.number)).toEqual({ type: 'number' });
    expect(jsonSchemaOf(t.boolean)).toEqual({ type: 'boolean' });
    expect(jsonSchemaOf(t.null)).toEqual({ type: 'null' });
    expect(jsonSchemaOf(t.literal('ok'))).toEqual({ type: 'string', enum: ['ok'] });
    expect(jsonSchemaOf(t.literal(3))).toEqual({ type: 'number', enum: [3] });
    expect(jsonSchemaOf(t.literal(true))).toEqual({ type: 'boolean', enum: [true] });
    expect(jsonSchemaOf(t.keyof({ low: null, high: null }))).toEqual({ type: 'string', enum: ['low', 'high'] });
  });

  test('t.type: closed, every key required; t.partial: no key required', () => {
    expect(jsonSchemaOf(t.type({ name: t.string, age: t.number }))).toEqual({
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'number' } },
      required: ['name', 'age'],
      additionalProperties: false,
    });
    expect(jsonSchemaOf(t.partial({ nickname: t.string }))).toEqual({
      type: 'object',
      properties: { nickname: { type: 'string' } },
      required: [],
      additionalProperties: false,
    });
  });

  test('strict: a t.partial key is required and nullable; one that takes null already stays as it is', () => {
    expect(jsonSchemaOf(t.partial({ nickname: t.string, note: t.union([t.string, t.null]) }), 'strict')).toEqual({
      type: 'object',
      properties: { nickname: { anyOf: [{ type: 'string' }, { type: 'null' }] }, note: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
      required: ['nickname', 'note'],
      additionalProperties: false,
    });
  });

  test('arrays (and readonly arrays), readonly, exact and strict are their inner codec', () => {
    expect(jsonSchemaOf(t.array(t.number))).toEqual({ type: 'array', items: { type: 'number' } });
    expect(jsonSchemaOf(t.readonlyArray(t.string))).toEqual({ type: 'array', items: { type: 'string' } });
    const point = t.type({ x: t.number });
    const expected = jsonSchemaOf(point);
    expect(jsonSchemaOf(t.readonly(point))).toEqual(expected);
    expect(jsonSchemaOf(t.exact(point))).toEqual(expected);
    expect(jsonSchemaOf(t.strict({ x: t.number }))).toEqual(expected);
  });

  test('unions: literals of one type become one enum, anything else anyOf (nested unions flattened)', () => {
    expect(jsonSchemaOf(t.union([t.literal('a'), t.literal('b'), t.keyof({ c: null })]))).toEqual({ type: 'string', enum: ['a', 'b', 'c'] });
    expect(jsonSchemaOf(t.union([t.string, t.union([t.number, t.null])]))).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'null' }] });
  });

  test('intersections of objects merge their properties and required keys', () => {
    const person = t.intersection([t.type({ name: t.string }), t.partial({ email: t.string })]);
    expect(jsonSchemaOf(person)).toEqual({
      type: 'object',
      properties: { name: { type: 'string' }, email: { type: 'string' } },
      required: ['name'],
      additionalProperties: false,
    });
    expect(jsonSchemaOf(person, 'strict').required).toEqual(['name', 'email']);
  });

  test('records: string keys are additionalProperties (open mode only); known keys make an object', () => {
    expect(jsonSchemaOf(t.record(t.string, t.number))).toEqual({ type: 'object', additionalProperties: { type: 'number' } });
    expect(jsonSchemaOf(t.record(t.keyof({ a: null, b: null }), t.boolean))).toEqual({
      type: 'object',
      properties: { a: { type: 'boolean' }, b: { type: 'boolean' } },
      required: ['a', 'b'],
      additionalProperties: false,
    });
    expect(issuesOf(() => jsonSchemaOf(t.type({ scores: t.record(t.string, t.number) }), 'strict'))).toEqual([{ path: 'output.schema.scores', got: '{ [K in string]: number }' }]);
    expect(issuesOf(() => jsonSchemaOf(t.type({ scores: t.record(t.string, t.number) }), 'closed'))).toEqual([{ path: 'output.schema.scores', got: '{ [K in string]: number }' }]);
  });

  test('refinements and brands are their base; t.Int is an integer', () => {
    const Positive = t.refinement(t.number, (n) => n > 0, 'Positive');
    expect(jsonSchemaOf(t.type({ n: Positive, i: t.Int }))).toMatchObject({ properties: { n: { type: 'number' }, i: { type: 'integer' } } });
  });

  test('what it cannot describe is a ConfigError naming the path', () => {
    expect(issuesOf(() => jsonSchemaOf(t.type({ address: t.type({ zip: t.unknown }) })))).toEqual([{ path: 'output.schema.address.zip', got: 'unknown' }]);
    expect(issuesOf(() => jsonSchemaOf(t.type({ tags: t.array(t.any) })))).toEqual([{ path: 'output.schema.tags[]', got: 'any' }]);
    expect(issuesOf(() => jsonSchemaOf(t.type({ f: t.Function })))).toEqual([{ path: 'output.schema.f', got: 'Function' }]);
    const custom = new t.Type<string, string, unknown>('Custom', t.string.is, t.string.validate, t.identity);
    expect(issuesOf(() => jsonSchemaOf(t.partial({ c: custom })))).toEqual([{ path: 'output.schema.c', got: 'Custom' }]);
    expect(issuesOf(() => jsonSchemaOf(t.type({ n: t.intersection([t.type({ a: t.string }), t.string]) })))).toEqual([{ path: 'output.schema.n', got: 'an intersection with string' }]);
  });

  test('a recursive codec is refused, at the path where it recurs', () => {
    interface Category {
      name: string;
      children: Category[];
    }
    const Category: t.Type<Category> = t.recursion('Category', () => t.type({ name: t.string, children: t.array(Category) }));
    expect(issuesOf(() => jsonSchemaOf(t.type({ root: Category })))).toEqual([{ path: 'output.schema.root', got: 'Category' }]);
  });

  test('strict wants an object at the root', () => {
    expect(issuesOf(() => jsonSchemaOf(t.array(t.string), 'strict'))).toEqual([{ path: 'output.schema', got: 'Array<string>' }]);
  });

  test('the message says what to do', () => {
    expect(() => jsonSchemaOf(t.type({ address: t.type({ zip: t.unknown }) }))).toThrow(
      /^Invalid options: output\.schema\.address\.zip: expected a codec rxllm can describe as JSON Schema \(t\.type, t\.partial, .*\), got unknown$/,
    );
  });
});
