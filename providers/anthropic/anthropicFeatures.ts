import type { MonoTypeOperatorFunction } from 'rxjs';
import { render } from '../../lib/codec/reportErrors';
import { ConfigError } from '../../lib/errors/configError';
import type { FeatureContext } from '../../lib/provider';
import type { Chunk } from '../../lib/types/chunk';
import { annotateReasoning } from './annotateReasoning';
import type { AnthropicOptions } from './anthropicOptions';
import { validateQuality } from './validateQuality';

/**
 * The operators of Anthropic's own options, in order: `annotateReasoning`, then `validateQuality`
 * (so a quality report never lands inside a reasoning frame). None when neither is set. A setting
 * the operator refuses (a window smaller than the threshold) is a `ConfigError` naming the option.
 *
 * @example
 * anthropicFeatures({ options: { ...resolved, annotateReasoning: true }, request, secrets }); // [annotateReasoning()]
 */
export function anthropicFeatures({ options }: FeatureContext<AnthropicOptions>): MonoTypeOperatorFunction<Chunk>[] {
  const operators: MonoTypeOperatorFunction<Chunk>[] = [];
  if (options.annotateReasoning) operators.push(annotateReasoning());
  const quality = options.validateQuality;
  if (quality) {
    try {
      operators.push(validateQuality(quality === true ? {} : quality));
    } catch (error) {
      const reason = (error as Error).message.replace(/^validateQuality: /, '');
      throw new ConfigError('options', [{ path: 'validateQuality', expected: `a valid setting (${reason})`, got: render(quality) }]);
    }
  }
  return operators;
}
