import * as t from 'io-ts';
import { asyncScheduler, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { chunkOperator } from '../../lib/chunkOperator';
import { checkConfig } from '../../lib/codec/checkConfig';
import { Scheduler } from '../../lib/codec/readable';
import type { Chunk } from '../../lib/types/chunk';
import type { LMStudioStats } from './lmstudioServerMetadata';

/** `metadata.performance` on the final chunk. */
export interface LMStudioPerformance {
  /** request → first token (text, reasoning or tool call) */
  timeToFirstTokenMs?: number;
  /** output tokens per second while generating */
  tokensPerSecond?: number;
  /** first token → last token */
  generationTimeMs?: number;
  /** the output tokens, from the usage when the server reports it */
  outputTokens?: number;
  /** true when `outputTokens` is the number of token-carrying chunks (no usage reported) */
  outputTokensEstimated?: true;
  /** `'server'`: LM Studio's own `stats` (REST API, `native`); `'measured'`: timed by this operator */
  source: 'server' | 'measured';
}

/** The configuration of `showPerformance`. */
export const ShowPerformanceConfig = t.partial(
  {
    /** the clock (default `asyncScheduler`; a `TestScheduler` in marble tests) */
    scheduler: Scheduler,
  },
  '{ scheduler? }',
);
export type ShowPerformanceConfig = t.TypeOf<typeof ShowPerformanceConfig>;

/**
 * Puts the answer's speed on its final chunk as `metadata.performance = { timeToFirstTokenMs,
 * tokensPerSecond, generationTimeMs, outputTokens, source }`. When LM Studio sent its own `stats`
 * (the REST API, `native`; the decoder maps them to `metadata.stats`) those are used
 * (`source: 'server'`, seconds turned into ms; REST v1 gives no generation time, so it is the
 * reported output tokens over the server's tokens/s); otherwise the operator times the stream itself
 * (`source: 'measured'`): subscription → first token, first → last token, and tokens/s as
 * (output tokens − 1) over that time (the usage's count, else one per token-carrying chunk,
 * flagged `outputTokensEstimated`). Chunks pass at once until the finish reason; from there the
 * few that remain (usage) wait for the end, so that the last one can carry the figures. A stream
 * that ends without a finish reason gets them on a last chunk with `bytes: 0`; one that fails gets
 * none. `seq` is kept.
 *
 * ```
 * chunks:  --a---b---c---(f|)       f: finishReason 'stop'
 * showPerformance()
 * chunks:  --a---b---c---(f'|)      f'.metadata.performance = { timeToFirstTokenMs: 2, generationTimeMs: 8, … }
 * ```
 *
 * @example
 * streamChat$('lmstudio', messages, { showPerformance: true })
 *   .pipe(filter((chunk) => !!chunk.metadata?.performance))
 *   .subscribe((chunk) => console.log(chunk.metadata!.performance)); // { timeToFirstTokenMs: 212, tokensPerSecond: 48.2, … }
 *
 * @param config the clock
 * @see trackMetrics
 */
export function showPerformance(config: ShowPerformanceConfig = {}): MonoTypeOperatorFunction<Chunk> {
  const { scheduler = asyncScheduler } = checkConfig(ShowPerformanceConfig, config, 'showPerformance config');

  return chunkOperator((out) => {
    const start = scheduler.now();
    let firstAt: number | undefined;
    let lastAt: number | undefined;
    let tokenChunks = 0;
    let outputTokens: number | undefined;
    let stats: LMStudioStats | undefined;
    let held: Chunk[] = [];

    const measure = (): LMStudioPerformance => {
      const generationSeconds = stats && serverGenerationSeconds(stats, outputTokens);
      if (stats && typeof stats.timeToFirstTokenSeconds === 'number' && typeof stats.tokensPerSecond === 'number' && generationSeconds !== undefined) {
        const server: LMStudioPerformance = {
          timeToFirstTokenMs: toMs(stats.timeToFirstTokenSeconds),
          tokensPerSecond: stats.tokensPerSecond,
          generationTimeMs: toMs(generationSeconds),
          source: 'server',
        };
        if (outputTokens !== undefined) server.outputTokens = outputTokens;
        return server;
      }
      const measured: LMStudioPerformance = { source: 'measured' };
      const tokens = outputTokens ?? tokenChunks;
      measured.outputTokens = tokens;
      if (outputTokens === undefined) measured.outputTokensEstimated = true;
      if (firstAt !== undefined && lastAt !== undefined) {
        measured.timeToFirstTokenMs = firstAt - start;
        measured.generationTimeMs = lastAt - firstAt;
        if (lastAt > firstAt && tokens > 1) measured.tokensPerSecond = (tokens - 1) / ((lastAt - firstAt) / 1000);
      }
      return measured;
    };

    return {
      step(chunk) {
        if (chunk.content || chunk.reasoning || chunk.toolCalls?.length) {
          const now = scheduler.now();
          firstAt ??= now;
          lastAt = now;
          tokenChunks++;
        }
        if (chunk.usage?.outputTokens !== undefined) outputTokens = chunk.usage.outputTokens;
        const serverStats = chunk.metadata?.stats as LMStudioStats | undefined;
        if (serverStats) stats = serverStats;
        if (held.length === 0 && chunk.finishReason === undefined) out.next(chunk);
        else held.push(chunk);
      },
      // the chunks held after the finish reason still go out before an error (without figures)
      flush() {
        const rest = held;
        held = [];
        for (const chunk of rest) out.next(chunk);
      },
      end() {
        const performance = measure();
        const rest = held;
        held = [];
        if (rest.length === 0) out.next(out.synthetic({ metadata: { performance } }));
        else {
          const last = rest[rest.length - 1];
          rest[rest.length - 1] = { ...last, metadata: { ...last.metadata, performance } };
          for (const chunk of rest) out.next(chunk);
        }
        out.complete();
      },
    };
  });
}

/**
 * The generation time the server gives: REST v0's `generation_time`; REST v1 sends none, but its
 * the time is taken as its output tokens over its own tokens/s (assumed to be their quotient: not documented).
 */
function serverGenerationSeconds(stats: LMStudioStats, outputTokens: number | undefined): number | undefined {
  if (typeof stats.generationTimeSeconds === 'number') return stats.generationTimeSeconds;
  if (outputTokens === undefined || typeof stats.tokensPerSecond !== 'number' || !(stats.tokensPerSecond > 0)) return undefined;
  return outputTokens / stats.tokensPerSecond;
}

/** Seconds → ms, to the microsecond (0.111 s → 111 ms, not 111.00000000000001). */
const toMs = (seconds: number) => Math.round(seconds * 1e6) / 1e3;
