import { issuesUnder } from './reportErrors';
import { ConfigError, isConfigError } from '../errors/configError';

/**
 * Makes the operator of an option: a `ConfigError` the operator throws for its configuration is
 * thrown again as one of the options, each issue under the option's path (the operator's `size`
 * is the option's `bufferChunks.size`), so `streamChat$` and a provider's features report an
 * operator's refusal in the same form as any other bad option. Other errors pass as they are.
 *
 * @example
 * optionUnder('bufferChunks', () => bufferChunks({ size: 0 }));
 * // ConfigError 'Invalid options: bufferChunks.size: expected a whole number ≥ 1, got 0'
 */
export function optionUnder<T>(path: string, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (isConfigError(error)) throw new ConfigError('options', issuesUnder(path, error.issues));
    throw error;
  }
}
