import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { messageText } from '../../lib/messageText';
import { answerFor, mockBaseURL, startMockServer, type MockServer } from '../../testing';
import type { Chunk, ChatMessage } from '../../lib';
import * as advanced from '../../examples/advanced_streaming';
import * as basic from '../../examples/basic';
import * as multiplexing from '../../examples/multiplexing';
import * as nestSse from '../../examples/nest-sse';
import * as recovery from '../../examples/recovery';
import * as showcase from '../../examples/streaming_coordinator_showcase';
import * as toolAgent from '../../examples/tool_agent';
import { startOtlpReceiver, withoutOtelVariables } from '../support/otlpReceiver';

/** The mock model's answer to a conversation (what every example must end up with). */
const expectedText = (messages: readonly ChatMessage[], sentences?: number) =>
  answerFor(messages.map((m) => ({ role: m.role, content: messageText(m) })), { sentences }).text;

describe('examples, run against the mock server', () => {
  let server: MockServer;
  const lines: string[] = [];
  const log = (line: string) => void lines.push(line);
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());
  beforeEach(() => {
    lines.length = 0;
    server.clearFaults();
  });

  test('basic: prints the text as it arrives, and toResponse gives the whole answer', async () => {
    const { printed, response } = await basic.main({ baseURL: mockBaseURL(server, 'openai'), log });
    expect(printed).toBe(expectedText(basic.messages));
    expect(response.content).toBe(printed);
    expect(response.finishReason).toBe('stop');
    expect(response.usage?.outputTokens).toBeGreaterThan(0);
    expect(lines.join('')).toContain(printed);
  });

  test('advanced_streaming: every option at once keeps the text whole and reports metrics', async () => {
    const { response, updates, metrics, errors } = await advanced.main({ baseURL: { anthropic: mockBaseURL(server, 'anthropic') }, log });
    expect(response.content).toBe(expectedText(advanced.messages));
    expect(errors).toEqual([]);
    const last = metrics.at(-1)!;
    expect(last.status).toBe('completed');
    expect(last.provider).toBe('anthropic');
    expect(last.errors).toBe(0);
    expect(last.custom?.words).toBe(response.content.split(/\s+/).filter(Boolean).length);
    // metrics count the chunks before bufferChunks coalesces them: the subscriber sees no more than that
    expect(updates).toBeGreaterThan(0);
    expect(updates).toBeLessThanOrEqual(last.chunksReceived);
    expect(lines.join('')).toContain('[metrics] completed');
  });

  test('streaming_coordinator_showcase: hand-composed operators give growing snapshots ending in the full answer', async () => {
    const { snapshots, metrics } = await showcase.main({ baseURL: mockBaseURL(server, 'gemini'), log });
    const text = expectedText(showcase.messages);
    expect(snapshots.at(-1)!.content).toBe(text);
    for (let i = 1; i < snapshots.length; i++) expect(snapshots[i].content.startsWith(snapshots[i - 1].content)).toBe(true);
    expect(snapshots.length).toBeGreaterThan(1);
    // bufferChunks({ size: 5 }) coalesces: fewer snapshots than measured chunks
    expect(snapshots.length).toBeLessThan(metrics.chunksReceived);
    expect(metrics.status).toBe('completed');
    expect(metrics.timeToFirstChunkMs).toBeGreaterThanOrEqual(0);
  });

  test('recovery: a connection reset mid-answer is continued, and the text is the uninterrupted answer', async () => {
    const { response, metrics, requests } = await recovery.main({ server, log });
    expect(response.content).toBe(expectedText(recovery.messages, 6));
    expect(metrics.recoveries).toBeGreaterThanOrEqual(1);
    expect(metrics.status).toBe('completed');
    expect(requests).toBe(2);
    expect(server.requests.at(-2)!.fault).toEqual({ kind: 'reset', afterBytes: 6000 });
    expect(lines.join('')).toContain('[recovered: continuation #1]');
  });

  test('multiplexing: every chat of the batch completes with its own answer, and the metrics add up', async () => {
    const baseURL = Object.fromEntries(multiplexing.PROVIDERS.map((p) => [p, mockBaseURL(server, p)]));
    const { requests, texts, errors, metrics } = await multiplexing.main({ baseURL, log });
    expect(errors).toEqual({});
    expect(requests.map((r) => r.provider)).toEqual(expect.arrayContaining([...multiplexing.PROVIDERS]));
    for (const r of requests) expect(texts[r.id]).toBe(expectedText(r.messages));
    expect(metrics).toMatchObject({ total: requests.length, completed: requests.length, failed: 0, queued: 0, running: 0 });
    const perRequest = Object.values(metrics.perRequest);
    expect(perRequest).toHaveLength(requests.length);
    expect(metrics.chunksReceived).toBe(perRequest.reduce((n, m) => n + m.chunksReceived, 0));
    expect(metrics.outputTokens).toBeGreaterThan(0);
  });

  test('nest-sse: the controller and the Node server both stream the answer as events, then done', async () => {
    const { nestEvents, sseText } = await nestSse.main({ baseURL: mockBaseURL(server, 'anthropic'), log });
    const text = expectedText([{ role: 'user', content: nestSse.question }]);

    const chunkEvents = nestEvents.filter((e) => e.type === undefined);
    expect(chunkEvents.map((e) => (e.data as Chunk).content ?? '').join('')).toBe(text);
    expect(chunkEvents.map((e) => e.id)).toEqual(chunkEvents.map((_, i) => String(i)));
    expect(nestEvents.at(-1)).toEqual({ type: 'done', data: { finishReason: 'stop' } });

    // the wire text: one `data:` JSON line per event, the last event named done
    const blocks = sseText.trimEnd().split('\n\n');
    const data = blocks.map((b) => JSON.parse(b.split('\n').find((l) => l.startsWith('data: '))!.slice(6)));
    expect(data.slice(0, -1).map((c: Chunk) => c.content ?? '').join('')).toBe(text);
    expect(blocks.at(-1)).toBe('event: done\ndata: {"finishReason":"stop"}');
  });

  test('tool_agent: two tools over two steps; the deadline passes while the second runs, and cancels it and the run', async () => {
    // the deadline leaves the first step and the weather (20 ms) ample time, and the forecast (60 s) none
    const { tools, ended, requests, chunks, metrics } = await toolAgent.main({ server, log, deadlineMs: 1500 });
    expect(ended).toBe('deadline');
    expect(tools).toEqual({ started: ['get_weather', 'get_forecast'], cancelled: ['get_forecast'] });
    // two requests (the call of get_weather, then the call of get_forecast with get_weather's result), no third
    expect(requests).toBe(2);
    expect(chunks.filter((c) => c.metadata?.toolResult).map((c) => c.metadata!.toolResult!.name)).toEqual(['get_weather']);
    expect([...new Set(chunks.map((c) => c.metadata?.step))]).toEqual([0, 1]);
    expect(metrics?.status).toBe('cancelled');
    expect(lines.join('')).toContain('[deadline] the run was cancelled; tools cancelled: get_forecast');
  });

  test('tool_agent: with time enough, both tools answer and the model reports the forecast', async () => {
    const { tools, ended, requests, chunks, metrics } = await toolAgent.main({ server, log, deadlineMs: 20_000, forecastMs: 5 });
    expect(ended).toBe('completed');
    expect(tools.cancelled).toEqual([]);
    expect(requests).toBe(3);
    const answer = chunks.filter((c) => c.metadata?.step === 2 && c.content).map((c) => c.content).join('');
    expect(answer).toBe(`The tool answered: ${JSON.stringify({ city: 'Oslo', days: [{ day: 'mon', sky: 'snow' }, { day: 'tue', sky: 'sun' }] })}`);
    expect(metrics?.steps?.map((s) => s.toolResults)).toEqual([1, 1, 0]);
  });

  test('otel: `node examples/run.cjs otel` sends a span per chat (a recovery event, a tool run’s one span, the cost) and the histograms to the OTLP endpoint', async () => {
    // a process of its own, as it is run by hand: the OTLP exporters load `http` with a dynamic
    // import(), which jest's module runtime refuses without --experimental-vm-modules
    const receiver = await startOtlpReceiver();
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, '../../examples/run.cjs'), 'otel'], {
        env: { ...withoutOtelVariables(), OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      });
      expect(stdout).toContain(`sent 3 spans and the gen_ai.client.* histograms to ${receiver.url}`);
      const bodies = (path: string) => receiver.exports.filter((e) => e.path === path).map((e) => e.body as any);
      const resources = bodies('/v1/traces').flatMap((b) => b.resourceSpans);
      expect(resources[0].resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'rxllm-example' } });
      const spans = resources.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans));
      const attribute = (span: any, key: string) => span.attributes.find((a: any) => a.key === key)?.value;
      // three chats, three spans: the tool run's two requests are one span
      expect(spans.map((s: any) => s.name)).toEqual(['chat gpt-4o-mini', 'chat gpt-4o-mini', 'chat gpt-4o-mini']);
      const [plainSpan, recovered, toolRun] = spans;
      expect(plainSpan.events).toEqual([]);
      expect(recovered.events.map((e: any) => e.name)).toEqual(['rxllm.recovery']);
      expect(attribute(toolRun, 'gen_ai.response.finish_reasons')).toEqual({ arrayValue: { values: [{ stringValue: 'stop' }] } });
      for (const span of spans) expect(attribute(span, 'rxllm.cost.total')?.doubleValue).toBeGreaterThan(0);
      const metrics = bodies('/v1/metrics').pop().resourceMetrics.flatMap((r: any) => r.scopeMetrics.flatMap((s: any) => s.metrics));
      expect(metrics.map((m: any) => m.name).sort()).toEqual([
        'gen_ai.client.operation.duration',
        'gen_ai.client.operation.time_per_output_chunk',
        'gen_ai.client.operation.time_to_first_chunk',
        'gen_ai.client.token.usage',
      ]);
      const duration = metrics.find((m: any) => m.name === 'gen_ai.client.operation.duration').histogram.dataPoints;
      expect(duration.reduce((n: number, p: any) => n + Number(p.count), 0)).toBe(3);
      expect(JSON.stringify(receiver.exports)).not.toContain('sk-example-not-a-key');
    } finally {
      await receiver.close();
    }
  }, 60_000);
});
