import type { MonoTypeOperatorFunction } from 'rxjs';
import type { FeatureContext } from '../../lib/provider';
import type { Chunk } from '../../lib/types/chunk';
import { cancelOnUnsubscribe } from './cancelOnUnsubscribe';
import type { OpenAIResponsesOptions } from './openaiResponsesOptions';

/** The operators of the Responses provider's own options: a background response is cancelled when its subscriber leaves early. */
export function openaiResponsesFeatures(context: FeatureContext<OpenAIResponsesOptions>): MonoTypeOperatorFunction<Chunk>[] {
  return context.options.background ? [cancelOnUnsubscribe(context)] : [];
}
