import type { MonoTypeOperatorFunction } from 'rxjs';
import { optionUnder } from '../../lib/codec/optionUnder';
import type { FeatureContext } from '../../lib/provider';
import type { Chunk } from '../../lib/types/chunk';
import { annotateReasoning } from './annotateReasoning';
import type { AnthropicOptions } from './anthropicOptions';
import { validateQuality } from './validateQuality';

/**
 * The operators of Anthropic's own options, in order: `annotateReasoning`, then `validateQuality`
 * (so a quality report never lands inside a reasoning frame). None when neither is set. The options
 * were checked with the operators' codecs; should an operator still refuse its setting, its
 * `ConfigError` is reported under the option's path (`validateQuality.repetition.window`).
 *
 * @example
 * anthropicFeatures({ options: { ...resolved, annotateReasoning: true }, request, secrets }); // [annotateReasoning()]
 */
export function anthropicFeatures({ options }: FeatureContext<AnthropicOptions>): MonoTypeOperatorFunction<Chunk>[] {
  const operators: MonoTypeOperatorFunction<Chunk>[] = [];
  if (options.annotateReasoning) operators.push(annotateReasoning());
  const quality = options.validateQuality;
  if (quality) {
    operators.push(optionUnder('validateQuality', () => validateQuality(quality === true ? {} : quality)));
  }
  return operators;
}
