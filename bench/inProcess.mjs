/**
 * Throughput in process: generated bodies delivered in 16 KiB pieces through in-memory stubs (no
 * kernel, no loopback), parsed by each client; every row assembles the text and checks it against
 * the expected text. Rows run interleaved, one round at a time, so background load on the machine
 * hits every row alike, and each row's ratio to its raw limit comes from runs paired with a
 * raw-limit run (see measureThroughput).
 */
import Anthropic from '@anthropic-ai/sdk';
import { createOpenAI } from '@ai-sdk/openai';
import { streamText } from 'ai';
import { createParser } from 'eventsource-parser';
import OpenAI from 'openai';
import { axios, ioTs, otelSdkMetrics, otelSdkTraceBase, rxllm, rxllmOpenAICompatible, rxllmOtel } from './lib/builtPackage.mjs';
import { anthropicBody, ollamaBody, openaiBody, toPieces } from './lib/bodies.mjs';
import { collectGarbage, median } from './lib/stats.mjs';
import { installStubAgent } from './lib/stubAgent.mjs';
import { stubFetch } from './lib/stubFetch.mjs';

const MESSAGES = [{ role: 'user', content: 'Write a long answer.' }];
const API_KEY = 'sk-bench-not-a-key';

// ---- the raw limits: the same pieces, straight into the parser, no transport ----

/** eventsource-parser + JSON.parse over the pieces; `pick(payload, eventName)` returns the text delta. */
function rawSse(pieces, pick) {
  const parts = [];
  const utf8 = new TextDecoder('utf-8');
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]') return;
      const text = pick(JSON.parse(event.data), event.event);
      if (text) parts.push(text);
    },
  });
  for (const piece of pieces) parser.feed(utf8.decode(piece, { stream: true }));
  parser.feed(utf8.decode());
  return parts.join('');
}

const pickOpenAI = (payload) => payload.choices[0]?.delta?.content;
const pickAnthropic = (payload) => (payload.type === 'content_block_delta' && payload.delta.type === 'text_delta' ? payload.delta.text : undefined);

/** NDJSON: split lines + JSON.parse over the pieces. */
function rawNdjson(pieces) {
  const parts = [];
  const utf8 = new TextDecoder('utf-8');
  let rest = '';
  for (const piece of pieces) {
    const text = rest + utf8.decode(piece, { stream: true });
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      if (nl > start) {
        const content = JSON.parse(text.slice(start, nl)).message?.content;
        if (content) parts.push(content);
      }
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  return parts.join('');
}

// ---- rxllm through the stub socket ----

function rxllmText(provider, baseURL, options = {}) {
  return new Promise((resolve, reject) => {
    const parts = [];
    rxllm.streamChat$(provider, MESSAGES, { baseURL, apiKey: API_KEY, ...options }).subscribe({
      next(chunk) {
        if (chunk.content) parts.push(chunk.content);
      },
      error: reject,
      complete: () => resolve(parts.join('')),
    });
  });
}

/** Every coordinator feature on: metrics, transform, validate, bufferChunks 5, recovery armed. */
const ALL_FEATURES = {
  trackMetrics: true,
  onMetrics: () => undefined,
  transformChunk: (chunk) => chunk,
  validateChunk: (chunk) => chunk.seq >= 0,
  bufferChunks: 5,
  streamRecovery: true,
};

/**
 * A diagnostic, not a shipped configuration: OpenAI's provider with its payload codec swapped for
 * `t.unknown`, so every `codec.is` passes at once — the difference to the default row is what the
 * io-ts guard costs inside the real pipeline.
 */
const openaiWithoutGuard = {
  ...rxllm.getProvider('openai'),
  createDecoder: (context) => rxllmOpenAICompatible.createOpenAICompatibleDecoder(context, { payload: ioTs.unknown }),
};

/**
 * Tracing on, with the real SDK and nothing exported: a `BasicTracerProvider` with no span processor
 * (every span still recorded — sampled, its attributes set, its event list kept — and ended) and a
 * `MeterProvider` with no reader. What the row adds to the default one is rxllm/otel's own work and
 * the SDK's, per run and per chunk; an exporter's work happens off the stream, in batches.
 */
const TRACED = {
  telemetry: rxllmOtel.otelTelemetry({ tracerProvider: new otelSdkTraceBase.BasicTracerProvider(), meterProvider: new otelSdkMetrics.MeterProvider() }),
};

/** The transport floor: axios (rxllm's own copy, same stub socket) + eventsource-parser + JSON.parse, no RxJS; `pick` as for the raw limit. */
async function axiosFloor(url, pick) {
  const response = await axios.post(url, JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: MESSAGES }), {
    responseType: 'stream',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
    transformRequest: [(d) => d],
  });
  return new Promise((resolve, reject) => {
    const parts = [];
    const utf8 = new TextDecoder('utf-8');
    const parser = createParser({
      onEvent(event) {
        if (event.data === '[DONE]') return;
        const text = pick(JSON.parse(event.data), event.event);
        if (text) parts.push(text);
      },
    });
    response.data.on('data', (bytes) => parser.feed(utf8.decode(bytes, { stream: true })));
    response.data.on('end', () => resolve(parts.join('')));
    response.data.on('error', reject);
  });
}

// ---- the peers, through the fetch stub ----

async function openaiNodeText(body) {
  const client = new OpenAI({ apiKey: API_KEY, baseURL: 'http://openai.bench/v1', fetch: stubFetch(body), maxRetries: 0 });
  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true, stream_options: { include_usage: true } });
  const parts = [];
  for await (const chunk of stream) {
    const content = chunk.choices[0]?.delta?.content;
    if (content) parts.push(content);
  }
  return parts.join('');
}

async function aiSdkText(body) {
  const provider = createOpenAI({ apiKey: API_KEY, baseURL: 'http://openai.bench/v1', fetch: stubFetch(body) });
  const result = streamText({ model: provider.chat('gpt-4o-mini'), messages: MESSAGES, maxRetries: 0 });
  const parts = [];
  for await (const text of result.textStream) parts.push(text);
  return parts.join('');
}

async function anthropicSdkText(body) {
  const client = new Anthropic({ apiKey: API_KEY, baseURL: 'http://anthropic.bench', fetch: stubFetch(body), maxRetries: 0 });
  const stream = await client.messages.create({ model: 'claude-sonnet-4-20250514', max_tokens: 200000, messages: MESSAGES, stream: true });
  const parts = [];
  for await (const event of stream) {
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') parts.push(event.delta.text);
  }
  return parts.join('');
}

/**
 * The rows: `body` names the generated body, `limit` the raw-limit row of that body (ratios divide
 * by it), `run(body)` resolves to the assembled text.
 */
export function throughputRows() {
  return [
    { id: 'raw-openai', label: 'raw limit: eventsource-parser + JSON.parse', body: 'openai', limit: 'raw-openai', run: (b) => rawSse(b.pieces, pickOpenAI) },
    { id: 'axios-floor-openai', label: 'floor: axios stream + eventsource-parser + JSON.parse (stub socket)', body: 'openai', limit: 'raw-openai', run: () => axiosFloor('http://openai.bench/v1/chat/completions', pickOpenAI) },
    { id: 'rxllm-openai', label: 'rxllm streamChat$ default (io-ts guard on)', body: 'openai', limit: 'raw-openai', run: () => rxllmText('openai', 'http://openai.bench/v1') },
    { id: 'rxllm-noguard-openai', label: 'diagnostic: rxllm default with the io-ts guard off (codec t.unknown)', body: 'openai', limit: 'raw-openai', run: () => rxllmText(openaiWithoutGuard, 'http://openai.bench/v1') },
    { id: 'rxllm-otel-openai', label: 'rxllm default + otelTelemetry (SDK tracer and meter, nothing exported)', body: 'openai', limit: 'raw-openai', run: () => rxllmText('openai', 'http://openai.bench/v1', TRACED) },
    { id: 'rxllm-all-openai', label: 'rxllm streamChat$, every coordinator feature on', body: 'openai', limit: 'raw-openai', run: () => rxllmText('openai', 'http://openai.bench/v1', ALL_FEATURES) },
    { id: 'openai-node', label: 'openai-node chat.completions.create stream', body: 'openai', limit: 'raw-openai', run: (b) => openaiNodeText(b) },
    { id: 'ai-sdk', label: 'Vercel AI SDK streamText (@ai-sdk/openai chat)', body: 'openai', limit: 'raw-openai', run: (b) => aiSdkText(b) },
    { id: 'raw-anthropic', label: 'raw limit: eventsource-parser + JSON.parse', body: 'anthropic', limit: 'raw-anthropic', run: (b) => rawSse(b.pieces, pickAnthropic) },
    { id: 'axios-floor-anthropic', label: 'floor: axios stream + eventsource-parser + JSON.parse (stub socket)', body: 'anthropic', limit: 'raw-anthropic', run: () => axiosFloor('http://anthropic.bench/v1/messages', pickAnthropic) },
    { id: 'rxllm-anthropic', label: 'rxllm streamChat$ default', body: 'anthropic', limit: 'raw-anthropic', run: () => rxllmText('anthropic', 'http://anthropic.bench/v1') },
    { id: 'anthropic-sdk', label: '@anthropic-ai/sdk messages.create stream', body: 'anthropic', limit: 'raw-anthropic', run: (b) => anthropicSdkText(b) },
    { id: 'raw-ollama', label: 'raw limit: split lines + JSON.parse', body: 'ollama', limit: 'raw-ollama', run: (b) => rawNdjson(b.pieces) },
    { id: 'rxllm-ollama', label: 'rxllm streamChat$ default', body: 'ollama', limit: 'raw-ollama', run: () => rxllmText('ollama', 'http://ollama.bench') },
  ];
}

/** Builds the bodies (`count` events each) and registers each under its host (`openai.bench`, …) on `stub`. */
function serveBodies(stub, count) {
  const bodies = {};
  for (const make of [openaiBody, anthropicBody, ollamaBody]) {
    const body = make(count);
    const prepared = { name: body.name, contentType: body.contentType, pieces: toPieces(body.text), expected: body.expected, events: body.events, bytes: Buffer.byteLength(body.text) };
    stub.serve(`${body.name}.bench`, prepared);
    bodies[body.name] = prepared;
  }
  return bodies;
}

/** One timed run of `row`: ms, and whether the assembled text was the expected one. */
export async function timeRow(row, body) {
  collectGarbage();
  const start = performance.now();
  const text = await row.run(body);
  const ms = performance.now() - start;
  if (text !== body.expected) {
    throw new Error(`bench: row ${row.id} assembled a different text (${text.length} chars, expected ${body.expected.length})`);
  }
  return ms;
}

/**
 * Runs every row `runs` times (after one untimed warm-up each on a small body), interleaved by
 * round. Each run of a row is paired with a run of its raw limit right before or after it (the
 * order alternates by round), and the row's ratio is the median of those paired ratios: other work
 * on the machine comes and goes within seconds, and a pair run back to back sees the same load.
 * `paired: false` (the profiler's) runs the rows alone. Returns per row: median ms, content chunks
 * per second, and the ratio to its raw limit.
 */
export async function measureThroughput({ count, runs, only, warmupCount = 2000, paired = true, log = () => undefined }) {
  const stub = installStubAgent();
  const all = throughputRows();
  const rows = all.filter((row) => !only || only.includes(row.id));
  const times = new Map(rows.map((row) => [row.id, []]));
  const ratios = new Map(rows.map((row) => [row.id, []]));
  const limitRow = (row) => all.find((x) => x.id === row.limit);
  let bodies;
  try {
    // warm-up on small bodies (JIT, module init), then the measured ones
    const small = serveBodies(stub, warmupCount);
    for (const row of rows) await timeRow(row, small[row.body]);
    bodies = serveBodies(stub, count);
    for (let round = 0; round < runs; round++) {
      for (const row of rows) {
        const body = bodies[row.body];
        if (row.id === row.limit || !paired) {
          times.get(row.id).push(await timeRow(row, body));
          continue;
        }
        // the pair's order alternates by round, so neither side always runs on the other's garbage
        let limitMs;
        let ms;
        if (round % 2 === 0) {
          limitMs = await timeRow(limitRow(row), body);
          ms = await timeRow(row, body);
        } else {
          ms = await timeRow(row, body);
          limitMs = await timeRow(limitRow(row), body);
        }
        times.get(row.id).push(ms);
        ratios.get(row.id).push(limitMs / ms);
        // the paired runs of a raw limit count among its own runs too
        times.get(row.limit)?.push(limitMs);
      }
      log(`  round ${round + 1}/${runs} done`);
    }
  } finally {
    stub.restore();
  }
  const result = rows.map((row) => {
    const ms = median(times.get(row.id));
    return {
      id: row.id,
      label: row.label,
      body: row.body,
      limit: row.limit,
      medianMs: ms,
      chunksPerSecond: (count / ms) * 1000,
      ratioToRawLimit: row.id === row.limit ? 1 : ratios.get(row.id).length ? median(ratios.get(row.id)) : null,
      runsMs: times.get(row.id),
      pairedRatios: row.id === row.limit ? undefined : ratios.get(row.id),
    };
  });
  const meta = Object.fromEntries(Object.values(bodies).map((b) => [b.name, { events: b.events, bytes: b.bytes, pieces: b.pieces.length }]));
  return { count, runs, bodies: meta, rows: result };
}
