import type { Usage } from '../../lib/types/usage';
import type { OllamaWireLine } from './wireLine';

/**
 * The counts of the final line → `Usage`: `prompt_eval_count` → `inputTokens`, `eval_count` →
 * `outputTokens` (thinking included; Ollama does not count it apart), `totalTokens` their sum when
 * both are present. Absent counts stay absent. `undefined` when the line has no count at all.
 *
 * @example
 * convertOllamaUsage({ prompt_eval_count: 11, eval_count: 18 }); // { inputTokens: 11, outputTokens: 18, totalTokens: 29 }
 */
export function convertOllamaUsage(line: OllamaWireLine): Usage | undefined {
  const input = line.prompt_eval_count;
  const output = line.eval_count;
  const hasInput = typeof input === 'number';
  const hasOutput = typeof output === 'number';
  if (!hasInput && !hasOutput) return undefined;
  const usage: Usage = {};
  if (hasInput) usage.inputTokens = input;
  if (hasOutput) usage.outputTokens = output;
  if (hasInput && hasOutput) usage.totalTokens = input + output;
  return usage;
}
