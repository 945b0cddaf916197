import { sameUsage } from '../lib/sameUsage';
import { subtractUsage } from '../lib/subtractUsage';
import type { Chunk } from '../lib/types/chunk';
import type { Cost } from '../lib/types/cost';
import type { StepMetrics } from '../lib/types/streamMetrics';
import type { Usage } from '../lib/types/usage';

interface StepState {
  step: number;
  startAt: number;
  firstAt: number | undefined;
  answerEndAt: number | undefined;
  lastAt: number;
  chunks: number;
  textLength: number;
  toolResults: number;
  /** the run's usage when the step began, as last reported (the tool loop sums usage over steps) */
  usageBefore: Usage | undefined;
  /** the run's usage as the step's latest chunk with usage reports it */
  usageReported: Usage | undefined;
  /** what the step's own usage cost, computed when its reported usage changed */
  cost: Cost | undefined;
}

/** The per-step half of `trackMetrics`: fed the chunks of a tool run (`metadata.step`), it measures each step on its own. */
export interface StepMeter {
  /** a chunk of step `step`, seen at `now`; `previousAt` is when the chunk before it was seen (the step's start, for a step's first) */
  add(chunk: Chunk, step: number, now: number, previousAt: number): void;
  /** each step so far; the last one's duration runs to `now` while the run goes on */
  snapshot(now: number, running: boolean): StepMetrics[];
}

/**
 * Measures the steps of a tool run. A step starts when the chunk before its first was seen (the
 * previous step's last tool result, after which its request went out) or at the subscription.
 * With `price`, each step's cost comes from its own usage (the run's, summed over the steps, less the
 * run's before the step), computed when a chunk reports a changed usage: a price function that throws
 * errors the stream, as a custom metric does.
 *
 * @example
 * const meter = createStepMeter();
 * meter.add({ provider: 'openai', seq: 0, bytes: 10, content: 'Hi' }, 0, 120, 0);
 * meter.snapshot(150, false)[0].timeToFirstChunkMs; // 120
 */
export function createStepMeter(price?: (usage: Usage) => Cost | undefined): StepMeter {
  const steps: StepState[] = [];
  return {
    add(chunk, step, now, previousAt) {
      let current = steps[steps.length - 1];
      if (current === undefined || current.step !== step) {
        const usageBefore = current === undefined ? undefined : (current.usageReported ?? current.usageBefore);
        current = {
          step, startAt: previousAt, firstAt: undefined, answerEndAt: undefined, lastAt: now, chunks: 0, textLength: 0,
          toolResults: 0, usageBefore, usageReported: undefined, cost: undefined,
        };
        steps.push(current);
      }
      current.lastAt = now;
      if (chunk.metadata?.toolResult !== undefined) {
        current.toolResults++;
        return;
      }
      current.chunks++;
      current.firstAt ??= now;
      current.answerEndAt = now;
      if (chunk.content) current.textLength += chunk.content.length;
      if (chunk.reasoning) current.textLength += chunk.reasoning.length;
      if (chunk.usage) {
        if (price && !sameUsage(chunk.usage, current.usageReported)) current.cost = price(subtractUsage(chunk.usage, current.usageBefore));
        current.usageReported = chunk.usage;
      }
    },
    snapshot(now, running) {
      return steps.map((s, i): StepMetrics => {
        const out = s.usageReported?.outputTokens;
        const reported = out === undefined ? undefined : out - (s.usageBefore?.outputTokens ?? 0);
        const outputTokens = reported ?? Math.ceil(s.textLength / 4);
        const generationSeconds = s.firstAt === undefined || s.answerEndAt === undefined ? 0 : (s.answerEndAt - s.firstAt) / 1000;
        const end = running && i === steps.length - 1 ? now : s.lastAt;
        const metrics: StepMetrics = {
          step: s.step,
          timeToFirstChunkMs: s.firstAt === undefined ? undefined : s.firstAt - s.startAt,
          durationMs: end - s.startAt,
          chunksReceived: s.chunks,
          outputTokens,
          outputTokensEstimated: reported === undefined,
          tokensPerSecond: generationSeconds > 0 ? outputTokens / generationSeconds : 0,
          toolResults: s.toolResults,
          toolMs: s.toolResults > 0 && s.answerEndAt !== undefined ? s.lastAt - s.answerEndAt : 0,
        };
        if (s.cost) metrics.cost = s.cost;
        return metrics;
      });
    },
  };
}
