import type { MonoTypeOperatorFunction } from 'rxjs';
import { optionUnder } from '../../lib/codec/optionUnder';
import type { FeatureContext } from '../../lib/provider';
import type { Chunk } from '../../lib/types/chunk';
import { contentModeration } from './contentModeration';
import { createOpenAIModerationCheck } from './createOpenAIModerationCheck';
import { highlightFunctionCalls } from './highlightFunctionCalls';
import type { OpenAIOptions } from './openaiOptions';

/**
 * The operators of OpenAI's own options, in order: `highlightFunctionCalls`, then
 * `contentModeration` (its check is the user's `check`, else the moderation endpoint at the chat
 * request's base URL, with its authentication headers). None when neither option is set.
 *
 * @example
 * openaiFeatures({ options: { ...resolved, contentModeration: true }, request, secrets }); // [contentModeration({ check: endpoint })]
 */
export function openaiFeatures(context: FeatureContext<OpenAIOptions>): MonoTypeOperatorFunction<Chunk>[] {
  const { highlightFunctionCalls: highlight, contentModeration: moderation } = context.options;
  const operators: MonoTypeOperatorFunction<Chunk>[] = [];
  if (highlight) operators.push(optionUnder('highlightFunctionCalls', () => highlightFunctionCalls(highlight === true ? {} : highlight)));
  if (moderation) {
    const { check, model, ...settings } = moderation === true ? {} : moderation;
    const checked = check ?? createOpenAIModerationCheck(context, model);
    operators.push(optionUnder('contentModeration', () => contentModeration({ ...settings, check: checked })));
  }
  return operators;
}
