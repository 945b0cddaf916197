import type { OllamaWireLine } from './wireLine';

/** The server-side timings of an Ollama answer, as put on the final chunk's `metadata`. */
export interface OllamaTimingMetadata {
  /** `total_duration`: the whole request, in nanoseconds */
  totalDurationNs?: number;
  /** `load_duration`: loading the model, in nanoseconds */
  loadDurationNs?: number;
  /** `prompt_eval_duration`: reading the prompt, in nanoseconds */
  promptEvalDurationNs?: number;
  /** `eval_duration`: generating the answer, in nanoseconds */
  evalDurationNs?: number;
  /** generation speed as the server measured it: `eval_count / eval_duration · 1e9` */
  tokensPerSecond?: number;
}

/**
 * Copies the nanosecond durations of the final line onto `metadata` and adds `tokensPerSecond`
 * (only when both `eval_count` and a non-zero `eval_duration` are present). Absent fields stay absent.
 *
 * @example
 * addOllamaTimingMetadata({ eval_count: 18, eval_duration: 52479709 }, metadata);
 * // metadata.evalDurationNs === 52479709, metadata.tokensPerSecond ≈ 343
 */
export function addOllamaTimingMetadata(line: OllamaWireLine, metadata: Record<string, unknown>): void {
  if (typeof line.total_duration === 'number') metadata.totalDurationNs = line.total_duration;
  if (typeof line.load_duration === 'number') metadata.loadDurationNs = line.load_duration;
  if (typeof line.prompt_eval_duration === 'number') metadata.promptEvalDurationNs = line.prompt_eval_duration;
  const evalDuration = line.eval_duration;
  if (typeof evalDuration === 'number') {
    metadata.evalDurationNs = evalDuration;
    if (typeof line.eval_count === 'number' && evalDuration > 0) metadata.tokensPerSecond = (line.eval_count / evalDuration) * 1e9;
  }
}
