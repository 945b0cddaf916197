import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Usage } from '../../lib';
import { mockBaseURL, startMockServer, type MockServer } from '../../testing';
import { startOtlpReceiver, withoutOtelVariables, type OtlpExport, type OtlpReceiver } from '../support/otlpReceiver';

/** OTLP JSON's AnyValue, as a backend reads it (an int64 may come as a string: the proto3 JSON mapping allows both). */
type AnyValue = { stringValue?: string; boolValue?: boolean; intValue?: number | string; doubleValue?: number; arrayValue?: { values: AnyValue[] } };
type KeyValue = { key: string; value: AnyValue };
interface OtlpSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  attributes: KeyValue[];
  events: Array<{ name: string; attributes: KeyValue[] }>;
  status: { code?: number };
}
interface OtlpHistogram {
  name: string;
  unit: string;
  histogram: { dataPoints: Array<{ attributes: KeyValue[]; count: number | string; sum: number; explicitBounds: number[]; bucketCounts: Array<number | string> }> };
}

/** An AnyValue as a plain value: ints as numbers, whichever form they came in. */
function plain(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return value.arrayValue.values.map(plain);
  throw new Error(`an AnyValue of no known kind: ${JSON.stringify(value)}`);
}
const attributesOf = (list: KeyValue[]) => Object.fromEntries(list.map(({ key, value }) => [key, plain(value)]));

const KEY = 'sk-otlp-SECRET-9d20b6';
const PROCESS = join(__dirname, 'processes', 'exportChats.cjs');

/**
 * The wire: a Node process runs three chats with the real SDK's OTLP/HTTP exporters (the built
 * package, as a user has it) and exports to a local receiver, and the test reads what a collector
 * would receive — the OTLP JSON bodies, not the SDK's objects.
 */
describe('rxllm/otel over OTLP/HTTP, as a collector receives it', () => {
  let server: MockServer;
  let receiver: OtlpReceiver;
  let usage: Record<'plain' | 'recovered' | 'anthropic', Usage>;
  let spans: OtlpSpan[];
  let histograms: OtlpHistogram[];
  const address = () => new URL(server.url);

  beforeAll(async () => {
    server = await startMockServer();
    receiver = await startOtlpReceiver();
    // the plain chat clean, the second one cut after 12 characters and its continuation clean
    server.queueFaults(null, { kind: 'cut', afterChars: 12 }, null);
    const { stdout } = await promisify(execFile)(process.execPath, [PROCESS], {
      env: { ...withoutOtelVariables(), OTLP_URL: receiver.url, API_KEY: KEY, BASE_URLS: JSON.stringify({ openai: mockBaseURL(server, 'openai'), anthropic: mockBaseURL(server, 'anthropic') }) },
    });
    usage = JSON.parse(stdout).usage;
    const bodies = (path: string) => receiver.exports.filter((e) => e.path === path).map((e) => e.body as Record<string, any>);
    spans = bodies('/v1/traces').flatMap((b) => b.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans)));
    // cumulative: the last export (at the provider's shutdown) holds every point
    const lastMetrics = bodies('/v1/metrics').pop()!;
    histograms = lastMetrics.resourceMetrics.flatMap((r: any) => r.scopeMetrics.flatMap((s: any) => s.metrics));
  }, 60_000);
  afterAll(async () => {
    server.clearFaults();
    await receiver.close();
    await server.close();
  });

  test('the exporters POST OTLP JSON (content-type application/json, no compression) to /v1/traces and /v1/metrics', () => {
    const paths = new Set(receiver.exports.map((e) => e.path));
    expect([...paths].sort()).toEqual(['/v1/metrics', '/v1/traces']);
    for (const e of receiver.exports) {
      expect(e.headers['content-type']).toBe('application/json');
      expect(e.headers['content-encoding'] ?? 'identity').toBe('identity');
    }
    const traces = receiver.exports.find((e) => e.path === '/v1/traces')!.body as Record<string, any>;
    expect(traces.resourceSpans[0].scopeSpans[0].scope).toMatchObject({ name: 'rxllm' });
  });

  test('one CLIENT span (kind 3) per chat, `chat {model}`, with its attributes as OTLP key/values', () => {
    expect(spans.map((s) => [s.name, s.kind])).toEqual([
      ['chat gpt-4o-mini', 3],
      ['chat gpt-4o-mini', 3],
      [expect.stringMatching(/^chat claude/), 3],
    ]);
    const [plainSpan, , anthropicSpan] = spans;
    // the typed values a backend indexes: strings, ints, doubles, a bool, an array
    const typed = Object.fromEntries(plainSpan.attributes.map(({ key, value }) => [key, Object.keys(value)[0]]));
    expect(typed).toMatchObject({
      'gen_ai.operation.name': 'stringValue',
      'gen_ai.request.temperature': 'doubleValue',
      'gen_ai.request.max_tokens': 'intValue',
      'gen_ai.request.stream': 'boolValue',
      'gen_ai.response.finish_reasons': 'arrayValue',
      'gen_ai.usage.input_tokens': 'intValue',
      'gen_ai.response.time_to_first_chunk': 'doubleValue',
      'rxllm.cost.total': 'doubleValue',
    });
    expect(attributesOf(plainSpan.attributes)).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.temperature': 0.3,
      'gen_ai.request.max_tokens': 200,
      'gen_ai.request.stream': true,
      'server.address': address().hostname,
      'server.port': Number(address().port),
      'gen_ai.response.model': expect.stringMatching(/^gpt-4o-mini/),
      'gen_ai.response.id': expect.any(String),
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': usage.plain.inputTokens,
      'gen_ai.usage.output_tokens': usage.plain.outputTokens,
      'gen_ai.response.time_to_first_chunk': expect.any(Number),
      'rxllm.cost.total': expect.closeTo((usage.plain.inputTokens! * 2 + usage.plain.outputTokens! * 8) / 1e6, 12),
    });
    expect(plainSpan.status.code ?? 0).toBe(0);
    expect(plainSpan.events).toEqual([]);
    // a provider without prices: no cost
    expect(attributesOf(anthropicSpan.attributes)).toMatchObject({ 'gen_ai.provider.name': 'anthropic', 'gen_ai.usage.output_tokens': usage.anthropic.outputTokens });
    expect(Object.keys(attributesOf(anthropicSpan.attributes)).filter((k) => k.startsWith('rxllm.cost'))).toEqual([]);
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(3);
  });

  test('the recovered chat: one span, its rxllm.recovery event, the run’s final usage', () => {
    const recovered = spans[1];
    expect(recovered.events.map((e) => [e.name, attributesOf(e.attributes)])).toEqual([
      ['rxllm.recovery', { 'rxllm.attempt': 1, 'rxllm.delay_ms': 0, 'error.type': expect.any(String), 'rxllm.cause': expect.stringMatching(/./) }],
    ]);
    expect(attributesOf(recovered.attributes)).toMatchObject({ 'gen_ai.usage.input_tokens': usage.recovered.inputTokens, 'gen_ai.usage.output_tokens': usage.recovered.outputTokens });
    expect(server.requests.filter((r) => r.fault).map((r) => r.fault)).toEqual([{ kind: 'cut', afterChars: 12 }]);
  });

  test('the histograms gen_ai.client.*, with units, the conventions’ buckets, data points per provider and token type', () => {
    expect(histograms.map((m) => [m.name, m.unit]).sort()).toEqual([
      ['gen_ai.client.operation.duration', 's'],
      ['gen_ai.client.operation.time_per_output_chunk', 's'],
      ['gen_ai.client.operation.time_to_first_chunk', 's'],
      ['gen_ai.client.token.usage', '{token}'],
    ]);
    const tokens = histograms.find((m) => m.name === 'gen_ai.client.token.usage')!.histogram.dataPoints;
    const point = (provider: string, type: string) => tokens.find((p) => attributesOf(p.attributes)['gen_ai.provider.name'] === provider && attributesOf(p.attributes)['gen_ai.token.type'] === type)!;
    expect(tokens).toHaveLength(4);
    expect(point('openai', 'output')).toMatchObject({ sum: usage.plain.outputTokens! + usage.recovered.outputTokens!, explicitBounds: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] });
    expect(Number(point('openai', 'output').count)).toBe(2);
    expect(point('anthropic', 'input')).toMatchObject({ sum: usage.anthropic.inputTokens });
    expect(attributesOf(point('openai', 'input').attributes)).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': expect.stringMatching(/^gpt-4o-mini/),
      'server.address': address().hostname,
      'server.port': Number(address().port),
      'gen_ai.token.type': 'input',
    });
    const duration = histograms.find((m) => m.name === 'gen_ai.client.operation.duration')!.histogram.dataPoints;
    expect(duration.reduce((n, p) => n + Number(p.count), 0)).toBe(3);
  });

  test('the API key is in no body the receiver got (nor any header it was sent with)', () => {
    const everything = JSON.stringify(receiver.exports.map((e: OtlpExport) => [e.headers, e.body]));
    expect(everything.length).toBeGreaterThan(1000);
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain('SECRET');
    // the key did reach the provider
    expect(server.requests.some((r) => JSON.stringify(r.headers).includes(KEY))).toBe(true);
  });
});
