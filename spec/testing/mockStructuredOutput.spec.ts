import { startMockServer, type MockServer } from '../../testing';
import { strictSchemaRefusal, structuredText, valueForSchema } from '../../testing/structuredAnswer';

describe('the mock model answers a schema', () => {
  test('a deterministic value: prompt words, 42 / 7, true, the first enum value, the const, arrays of 2, every property', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        n: { type: 'number' },
        i: { type: 'integer' },
        ok: { type: 'boolean' },
        level: { type: 'string', enum: ['low', 'high'] },
        kind: { const: 'person' },
        maybe: { anyOf: [{ type: 'null' }, { type: 'string' }] },
        listed: { type: ['null', 'array'], items: { type: 'string' }, minItems: 3 },
        email: { type: 'string', format: 'email' },
        scores: { type: 'object', additionalProperties: { type: 'number' } },
        next: { $ref: '#/$defs/step' },
      },
      $defs: { step: { type: 'object', properties: { at: { type: 'string', format: 'date' } } } },
    };
    const value = valueForSchema(schema, 'Tell me about Ada');
    expect(value).toEqual({
      name: 'Tell',
      n: 42,
      i: 7,
      ok: true,
      level: 'low',
      kind: 'person',
      maybe: 'me',
      listed: ['about', 'Ada', 'Tell'],
      email: 'me@example.com',
      scores: { about: 42, ada: 42 },
      next: { at: '2026-12-03' },
    });
    expect(valueForSchema(schema, 'Tell me about Ada')).toEqual(value);
  });

  test('a recursive $ref ends (null past the depth limit) instead of looping', () => {
    const schema = { type: 'object', properties: { child: { $ref: '#' } } };
    expect(JSON.stringify(valueForSchema(schema, 'x'))).toMatch(/null/);
  });

  test('the text is JSON on one line, spaced so that it streams in words', () => {
    expect(structuredText({ type: 'object', properties: { a: { type: 'array', items: { type: 'string' } } } }, 'Hi there')).toBe('{ "a": [ "Hi", "there" ] }');
  });

  test("OpenAI's strict checks, in its words, with the context as a Python tuple", () => {
    const ok = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
    expect(strictSchemaRefusal(ok, 'x')).toBeUndefined();
    expect(strictSchemaRefusal({ type: 'array', items: ok }, 'x')).toBe(`Invalid schema for response_format 'x': schema must be a JSON Schema of 'type: "object"', got 'type: "array"'.`);
    expect(strictSchemaRefusal({ ...ok, required: [] }, 'x')).toBe(
      "Invalid schema for response_format 'x': In context=(), 'required' is required to be supplied and to be an array including every key in properties. Missing 'a'.",
    );
    const nested = { type: 'object', properties: { address: { type: 'object', properties: {}, required: [] } }, required: ['address'], additionalProperties: false };
    expect(strictSchemaRefusal(nested, 'x')).toBe(
      "Invalid schema for response_format 'x': In context=('properties', 'address'), 'additionalProperties' is required to be supplied and to be false.",
    );
    const inArray = { type: 'object', properties: { list: { type: 'array', items: { type: 'object', properties: {} } } }, required: ['list'], additionalProperties: false };
    expect(strictSchemaRefusal(inArray, 'x')).toMatch(/In context=\('properties', 'list', 'items'\), 'additionalProperties'/);
  });
});

describe('each mock route reads its own structured-output parameter, and refuses a malformed one as its API does', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  const SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: response.status, json: (await response.json()) as any };
  };
  const chat = (extra: Record<string, unknown>, model = 'gpt-4o-mini') => post('/v1/chat/completions', { model, messages: [{ role: 'user', content: 'Weather in Oslo' }], ...extra });

  test('OpenAI Chat Completions: answers JSON of the schema; refuses a missing name, and a strict schema that is not closed', async () => {
    const answered = await chat({ response_format: { type: 'json_schema', json_schema: { name: 'weather', schema: SCHEMA, strict: true } } });
    expect(JSON.parse(answered.json.choices[0].message.content)).toEqual({ city: 'Weather' });
    expect(await chat({ response_format: { type: 'json_schema', json_schema: { schema: SCHEMA } } })).toEqual({
      status: 400,
      json: { error: { message: "Missing required parameter: 'response_format.json_schema.name'.", param: 'response_format.json_schema.name', code: 'missing_required_parameter', type: 'invalid_request_error' } },
    });
    const open = await chat({ response_format: { type: 'json_schema', json_schema: { name: 'weather', schema: { ...SCHEMA, additionalProperties: undefined }, strict: true } } });
    expect(open.status).toBe(400);
    expect(open.json.error.message).toBe("Invalid schema for response_format 'weather': In context=(), 'additionalProperties' is required to be supplied and to be false.");
    // not strict: an open schema is taken
    expect((await chat({ response_format: { type: 'json_schema', json_schema: { name: 'weather', schema: { type: 'object', properties: { city: { type: 'string' } } } } } })).status).toBe(200);
  });

  test('Responses: text.format, its name required', async () => {
    const input = { model: 'gpt-5-mini', input: 'Weather in Oslo' };
    const answered = await post('/v1/responses', { ...input, text: { format: { type: 'json_schema', name: 'weather', schema: SCHEMA, strict: true } } });
    expect(JSON.parse(answered.json.output.find((item: { type: string }) => item.type === 'message').content[0].text)).toEqual({ city: 'Weather' });
    const unnamed = await post('/v1/responses', { ...input, text: { format: { type: 'json_schema', schema: SCHEMA } } });
    expect(unnamed).toMatchObject({ status: 400, json: { error: { message: "Missing required parameter: 'text.format.name'.", param: 'text.format.name' } } });
  });

  test("Mistral: json_schema without a schema is its 422 'missing'", async () => {
    const refused = await chat({ response_format: { type: 'json_schema', json_schema: { name: 'weather' } } }, 'mistral-small-latest');
    expect(refused.status).toBe(422);
    expect(refused.json.message.detail).toEqual([expect.objectContaining({ type: 'missing', loc: ['body', 'response_format', 'json_schema', 'schema'], msg: 'Field required' })]);
    const answered = await chat({ response_format: { type: 'json_schema', json_schema: { name: 'weather', schema: SCHEMA, strict: true } } }, 'mistral-small-latest');
    expect(JSON.parse(answered.json.choices[0].message.content)).toEqual({ city: 'Weather' });
  });

  test("LM Studio REST v0: json_object is refused ('json_schema' or 'text' only)", async () => {
    const refused = await post('/api/v0/chat/completions', { model: 'qwen/qwen3-4b', messages: [{ role: 'user', content: 'Hi' }], response_format: { type: 'json_object' } });
    expect(refused).toEqual({ status: 400, json: { error: "'response_format.type' must be 'json_schema' or 'text'" } });
  });

  test('Anthropic: output_config.format needs its schema', async () => {
    const refused = await post(
      '/v1/messages',
      { model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }], output_config: { format: { type: 'json_schema' } } },
      { 'anthropic-version': '2023-06-01' },
    );
    expect(refused).toMatchObject({ status: 400, json: { type: 'error', error: { type: 'invalid_request_error', message: 'output_config.format.schema: Field required' } } });
  });

  test('Gemini: a response schema needs responseMimeType application/json', async () => {
    const refused = await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent', {
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      generationConfig: { responseJsonSchema: SCHEMA },
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error.status).toBe('INVALID_ARGUMENT');
    // responseSchema (Google's OpenAPI subset, upper-case types) is read too
    const answered = await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent', {
      contents: [{ role: 'user', parts: [{ text: 'Weather in Oslo' }] }],
      generationConfig: { responseMimeType: 'application/json', responseSchema: { type: 'OBJECT', properties: { n: { type: 'INTEGER' } } } },
    });
    expect(JSON.parse(answered.json.map((r: any) => r.candidates[0].content.parts[0].text ?? '').join(''))).toEqual({ n: 7 });
  });

  test('Ollama: format is "json" or a schema; anything else is refused', async () => {
    const base = { model: 'llama3.2', messages: [{ role: 'user', content: 'Weather in Oslo' }], stream: false };
    expect(JSON.parse((await post('/api/chat', { ...base, format: SCHEMA })).json.message.content)).toEqual({ city: 'Weather' });
    expect((await post('/api/chat', { ...base, format: 42 })).status).toBe(400);
  });

  test('with tools, a prompt that names one calls it first; the answer after its result is JSON of the schema', async () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const response_format = { type: 'json_schema', json_schema: { name: 'weather', schema: SCHEMA, strict: true } };
    const first = await chat({ tools, response_format, messages: [{ role: 'user', content: 'Use get_weather for Oslo' }] });
    expect(first.json.choices[0].message.tool_calls).toHaveLength(1);
    const call = first.json.choices[0].message.tool_calls[0];
    const second = await chat({
      tools,
      response_format,
      messages: [
        { role: 'user', content: 'Use get_weather for Oslo' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"sky":"snow"}' },
      ],
    });
    expect(JSON.parse(second.json.choices[0].message.content)).toEqual({ city: 'Use' });
  });
});
