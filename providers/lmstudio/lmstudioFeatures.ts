import type { MonoTypeOperatorFunction } from 'rxjs';
import { optionUnder } from '../../lib/codec/optionUnder';
import type { FeatureContext } from '../../lib/provider';
import type { HttpRequest } from '../../lib/transport/httpRequest';
import { requestJson$ } from '../../lib/transport/requestJson';
import { transportOptionsOf } from '../../lib/transport/transportOptions';
import type { Chunk } from '../../lib/types/chunk';
import type { LMStudioOptions } from './lmstudioOptions';
import { showPerformance } from './showPerformance';
import { validateLocal } from './validateLocal';

/**
 * The operators of LM Studio's own options, in order: `showPerformance`, then `validateLocal` —
 * the outer one, so that the model check runs before the chat request and the performance clock
 * starts with the chat request, not with the check. `validateLocal` asks the chat request's base
 * URL, with its headers (the API token). None when neither option is set.
 *
 * @example
 * lmstudioFeatures({ options: { ...resolved, validateLocal: true }, request, secrets }); // [validateLocal({ baseURL, model, … })]
 */
export function lmstudioFeatures({ options, request, secrets }: FeatureContext<LMStudioOptions>): MonoTypeOperatorFunction<Chunk>[] {
  const operators: MonoTypeOperatorFunction<Chunk>[] = [];
  if (options.showPerformance) operators.push(showPerformance());
  const local = options.validateLocal;
  if (local) {
    const settings = local === true ? {} : local;
    // the check goes out as the chat request does: its fetch, agents or proxy, when it has them
    const transport = transportOptionsOf(options);
    const sendAsChat = transport ? { requestJson: (list: HttpRequest) => requestJson$(list, secrets, 'lmstudio', transport) } : {};
    operators.push(optionUnder('validateLocal', () => validateLocal({ ...sendAsChat, ...settings, baseURL: options.baseURL, model: options.model, headers: request.headers, secrets })));
  }
  return operators;
}
