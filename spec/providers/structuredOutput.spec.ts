import * as t from 'io-ts';
import { ConfigError } from '../../lib/errors/configError';
import { prepareRequest } from '../support/prepareRequest';

const user = [{ role: 'user', content: 'Describe Ada Lovelace' }];
const Person = t.intersection([t.type({ name: t.string, born: t.number, tags: t.array(t.string) }), t.partial({ nickname: t.string })]);

/** the plain schema (no strict form): optional keys out of `required`, every object closed */
const OPEN = {
  type: 'object',
  properties: { name: { type: 'string' }, born: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } }, nickname: { type: 'string' } },
  required: ['name', 'born', 'tags'],
  additionalProperties: false,
};
/** OpenAI's strict form: every key required, the optional one nullable */
const STRICT = { ...OPEN, properties: { ...OPEN.properties, nickname: { anyOf: [{ type: 'string' }, { type: 'null' }] } }, required: ['name', 'born', 'tags', 'nickname'] };

const bodyOf = (id: string, options: Record<string, unknown>) =>
  prepareRequest(id, user, { apiKey: 'k', baseURL: 'https://example.test/v1', ...options }).request.body as Record<string, any>;

describe('the output option, mapped to each API', () => {
  test.each(['openai', 'azure'])('%s: response_format json_schema, strict, the schema in strict form', (id) => {
    expect(bodyOf(id, { output: { schema: Person, name: 'person', description: 'A person' } }).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'person', description: 'A person', schema: STRICT, strict: true },
    });
  });

  test('openai: strict: false sends the plain schema; name defaults to "response"', () => {
    expect(bodyOf('openai', { output: { schema: Person, strict: false } }).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'response', schema: OPEN, strict: false },
    });
  });

  test.each(['openai-responses', 'azure-responses'])('%s: text.format, flat, strict', (id) => {
    expect(bodyOf(id, { output: { schema: Person } }).text).toEqual({ format: { type: 'json_schema', name: 'response', schema: STRICT, strict: true } });
  });

  test('anthropic: output_config.format with the closed schema', () => {
    expect(bodyOf('anthropic', { output: { schema: Person } }).output_config).toEqual({ format: { type: 'json_schema', schema: OPEN } });
  });

  test('gemini: responseMimeType application/json and responseJsonSchema', () => {
    const body = bodyOf('gemini', { output: { schema: Person }, temperature: 0.2 });
    expect(body.generationConfig).toEqual({ temperature: 0.2, responseMimeType: 'application/json', responseJsonSchema: OPEN });
  });

  test('mistral: response_format json_schema with strict (default true)', () => {
    expect(bodyOf('mistral', { output: { schema: Person, name: 'person' } }).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'person', schema: OPEN, strict: true },
    });
  });

  test('lmstudio: response_format json_schema, strict only when given', () => {
    expect(bodyOf('lmstudio', { output: { schema: Person } }).response_format).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema: OPEN } });
    expect(bodyOf('lmstudio', { output: { schema: Person, strict: true } }).response_format.json_schema.strict).toBe(true);
  });

  test('lmstudio: native: true goes to REST v0 with an output (v1 documents none); native: "v1" is a ConfigError', () => {
    const request = prepareRequest('lmstudio', user, { baseURL: 'http://localhost:1234', native: true, output: { schema: Person } }).request;
    expect(request.url).toBe('http://localhost:1234/api/v0/chat/completions');
    expect(() => prepareRequest('lmstudio', user, { baseURL: 'http://localhost:1234', native: 'v1', output: { schema: Person } })).toThrow(/output: expected none \(LM Studio's \/api\/v1\/chat/);
  });

  test('perplexity: response_format json_schema with a name and no strict flag', () => {
    expect(bodyOf('perplexity', { output: { schema: Person } }).response_format).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema: OPEN } });
  });

  test('ollama: format is the schema; format beside output is a ConfigError', () => {
    expect(bodyOf('ollama', { output: { schema: Person } }).format).toEqual(OPEN);
    expect(() => bodyOf('ollama', { output: { schema: Person }, format: 'json' })).toThrow(ConfigError);
  });

  test('rxllm (the relay): a ConfigError, a codec cannot cross it', () => {
    expect(() => bodyOf('rxllm', { output: { schema: Person } })).toThrow(/output: expected none \(a codec cannot cross the relay/);
  });

  test('a JSON Schema is sent as it is (a codec beside it is for decoding)', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    expect(bodyOf('openai', { output: { schema, codec: t.type({ city: t.string }) } }).response_format.json_schema.schema).toBe(schema);
    expect(bodyOf('ollama', { output: { schema } }).format).toBe(schema);
  });

  test('extraBody still wins last', () => {
    const body = bodyOf('openai', { output: { schema: Person }, extraBody: { response_format: { type: 'json_object' } } });
    expect(body.response_format).toEqual({ type: 'json_object' });
  });

  test('an undescribable codec is a ConfigError naming its path, before any request', () => {
    const codec = t.type({ address: t.type({ zip: t.unknown }) });
    for (const id of ['openai', 'openai-responses', 'anthropic', 'gemini', 'mistral', 'ollama', 'lmstudio', 'perplexity']) {
      expect(() => bodyOf(id, { output: { schema: codec } })).toThrow(/output\.schema\.address\.zip: expected a codec rxllm can describe/);
    }
  });

  test('the option is checked: a schema that is neither a codec nor an object, a bad name, none', () => {
    const issues = (output: unknown) => {
      try {
        bodyOf('openai', { output });
      } catch (error) {
        return (error as ConfigError).issues.map((issue) => issue.path);
      }
      return [];
    };
    expect(issues({ schema: 'person' })).toEqual(['output.schema']);
    expect(issues({ schema: Person, name: 'a person' })).toEqual(['output.name']);
    expect(issues({})).toEqual(['output.schema']);
  });
});
