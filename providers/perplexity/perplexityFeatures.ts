import type { MonoTypeOperatorFunction } from 'rxjs';
import { render } from '../../lib/codec/reportErrors';
import { ConfigError } from '../../lib/errors/configError';
import type { FeatureContext } from '../../lib/provider';
import type { Chunk } from '../../lib/types/chunk';
import { inlineCitations } from './inlineCitations';
import type { PerplexityOptions } from './perplexityOptions';
import { validateSources } from './validateSources';

/**
 * The operators of Perplexity's own options, in order: `validateSources`, then `inlineCitations`
 * (so that a dropped source is never linked, and the other markers keep their numbers). None when
 * neither is set. A setting the operator refuses (a deny entry that is not a domain name) is a
 * `ConfigError` naming the option.
 *
 * @example
 * perplexityFeatures({ options: { ...resolved, inlineCitations: true }, request, secrets }); // [inlineCitations()]
 */
export function perplexityFeatures({ options }: FeatureContext<PerplexityOptions>): MonoTypeOperatorFunction<Chunk>[] {
  const operators: MonoTypeOperatorFunction<Chunk>[] = [];
  const { validateSources: sources, inlineCitations: inline } = options;
  if (sources) operators.push(configured('validateSources', sources, () => validateSources(sources === true ? {} : sources)));
  if (inline) operators.push(configured('inlineCitations', inline, () => inlineCitations(inline === true ? {} : inline)));
  return operators;
}

function configured(path: string, value: unknown, make: () => MonoTypeOperatorFunction<Chunk>): MonoTypeOperatorFunction<Chunk> {
  try {
    return make();
  } catch (error) {
    const reason = (error as Error).message.replace(/^\w+: /, '');
    throw new ConfigError('options', [{ path, expected: `a valid setting (${reason})`, got: render(value) }]);
  }
}
