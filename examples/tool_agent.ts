/**
 * A Node agent with two tools that run themselves: the model calls `get_weather`, reads its result,
 * then calls `get_forecast` — two steps of one `streamChat$` run (`maxSteps`). The whole run has a
 * deadline, `AbortSignal.timeout(…)`: the forecast service is slow, so the deadline passes while it
 * runs, and the run ends there — the model's request and the running tool both cancelled (the tool
 * sees its `signal` abort and stops its work).
 * Run it: `node examples/run.cjs tool_agent`.
 */
import * as t from 'io-ts';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { isAbortError, streamChat$, tool, type ChatMessage, type Chunk, type StreamMetrics } from '../lib';
import { mockBaseURL, startMockServer, type MockServer } from '../testing';

export const messages: ChatMessage[] = [{ role: 'user', content: 'Use get_weather for Oslo, then get_forecast for Oslo.' }];

export interface ToolAgentOptions {
  server?: MockServer;
  log?: (line: string) => void;
  /** the run's deadline (default 1 s) */
  deadlineMs?: number;
  /** how long the forecast service takes (default 60 s: longer than the deadline) */
  forecastMs?: number;
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts — as any well-behaved I/O does. */
function work<T>(ms: number, signal: AbortSignal, value: T): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(value), ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}

/** Runs the agent; returns its chunks, what happened to each tool, how the run ended, and the last metrics. */
export async function main(options: ToolAgentOptions = {}) {
  const log = options.log ?? (() => {});
  const server = options.server ?? (await startMockServer({ chunkDelayMs: 5 }));
  const tools = { started: [] as string[], cancelled: [] as string[] };
  const City = t.type({ city: t.string });

  const getWeather = tool({
    name: 'get_weather',
    description: 'The weather in a city, now',
    parameters: City,
    execute: ({ city }, { signal }) => (tools.started.push('get_weather'), work(20, signal, { city, celsius: -3, sky: 'snow' })),
  });
  const getForecast = tool({
    name: 'get_forecast',
    description: 'The forecast for a city, for the next days',
    parameters: City,
    execute: async ({ city }, { signal }) => {
      tools.started.push('get_forecast');
      signal.addEventListener('abort', () => tools.cancelled.push('get_forecast'), { once: true });
      return work(options.forecastMs ?? 60_000, signal, { city, days: [{ day: 'mon', sky: 'snow' }, { day: 'tue', sky: 'sun' }] });
    },
  });

  const before = server.requests.length;
  const chunks: Chunk[] = [];
  let metrics: StreamMetrics | undefined;
  let ended: 'completed' | 'deadline' = 'completed';
  try {
    await lastValueFrom(
      streamChat$('openai', messages, {
        baseURL: mockBaseURL(server, 'openai'),
        tools: [getWeather, getForecast],
        maxSteps: 4,
        signal: AbortSignal.timeout(options.deadlineMs ?? 1000),
        onMetrics: (m) => (metrics = m),
      }).pipe(
        tap((chunk) => {
          chunks.push(chunk);
          const result = chunk.metadata?.toolResult;
          if (result) log(`\n[step ${chunk.metadata?.step}] ${result.name} → ${result.content}\n`);
          else if (chunk.content) log(chunk.content);
          else if (chunk.toolCalls?.some((call) => call.name)) log(`[step ${chunk.metadata?.step}] calls ${chunk.toolCalls.map((call) => call.name).join(', ')}\n`);
        }),
        toArray(),
      ),
    );
  } catch (error) {
    // the deadline: the signal aborted the run, with the model's request or the tools still going
    if (!isAbortError(error)) throw error;
    ended = 'deadline';
    log(`\n[deadline] the run was cancelled; tools cancelled: ${tools.cancelled.join(', ') || 'none'}\n`);
  } finally {
    if (!options.server) await server.close();
  }
  for (const step of metrics?.steps ?? []) log(`[metrics] step ${step.step}: first chunk after ${step.timeToFirstChunkMs} ms, ${step.outputTokens} tokens, tools ${step.toolMs} ms\n`);
  return { chunks, tools, ended, metrics, requests: server.requests.length - before };
}
