import type { MonoTypeOperatorFunction } from 'rxjs';
import { optionUnder } from '../../lib/codec/optionUnder';
import type { FeatureContext } from '../../lib/provider';
import type { Chunk } from '../../lib/types/chunk';
import { inlineCitations } from './inlineCitations';
import type { PerplexityOptions } from './perplexityOptions';
import { validateSources } from './validateSources';

/**
 * The operators of Perplexity's own options, in order: `validateSources`, then `inlineCitations`
 * (so that a dropped source is never linked, and the other markers keep their numbers). None when
 * neither is set. The options were checked with the operators' codecs; should an operator
 * still refuse its setting, its `ConfigError` is reported under the option's path (`validateSources.deny.0`).
 *
 * @example
 * perplexityFeatures({ options: { ...resolved, inlineCitations: true }, request, secrets }); // [inlineCitations()]
 */
export function perplexityFeatures({ options }: FeatureContext<PerplexityOptions>): MonoTypeOperatorFunction<Chunk>[] {
  const operators: MonoTypeOperatorFunction<Chunk>[] = [];
  const { validateSources: sources, inlineCitations: inline } = options;
  if (sources) operators.push(optionUnder('validateSources', () => validateSources(sources === true ? {} : sources)));
  if (inline) operators.push(optionUnder('inlineCitations', () => inlineCitations(inline === true ? {} : inline)));
  return operators;
}
