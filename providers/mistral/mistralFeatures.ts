import type { MonoTypeOperatorFunction } from 'rxjs';
import type { FeatureContext } from '../../lib/provider';
import type { Chunk } from '../../lib/types/chunk';
import { formatCodeBlocks } from './formatCodeBlocks';
import type { MistralOptions } from './mistralOptions';

/**
 * The operators of Mistral's own options, for `Provider.features`: `formatCodeBlocks: true` →
 * `formatCodeBlocks()`. None when it is off, so the stream is unchanged.
 *
 * @example
 * mistralFeatures({ options: { ...resolved, formatCodeBlocks: true }, request, secrets }); // [formatCodeBlocks()]
 */
export function mistralFeatures({ options }: FeatureContext<MistralOptions>): MonoTypeOperatorFunction<Chunk>[] {
  return options.formatCodeBlocks ? [formatCodeBlocks()] : [];
}
