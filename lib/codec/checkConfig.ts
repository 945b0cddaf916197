import type * as t from 'io-ts';
import { ConfigError } from '../errors/configError';
import { isLeft } from './isLeft';
import { reportErrors } from './reportErrors';

/**
 * Checks a configuration against its codec, once, where it is given (an operator when it is
 * created, a factory when it is called): returns the decoded value, or throws a `ConfigError` with
 * one issue `{ path, expected, got }` per failing path — the same form everywhere, `streamChat$`'s
 * options included (which report an operator's issues under the option's path, see `issuesUnder`).
 *
 * @param what names the configuration in the message: `Invalid ${what}: …`
 *
 * @example
 * const { size } = checkConfig(BufferChunksConfig, config, 'bufferChunks config');
 * // bufferChunks({ size: 0 }) → ConfigError 'Invalid bufferChunks config: size: expected a positive integer, got 0'
 */
export function checkConfig<A>(codec: t.Decoder<unknown, A>, value: unknown, what: string): A {
  const result = codec.decode(value);
  if (isLeft(result)) throw new ConfigError(what, reportErrors(result.left));
  return result.right;
}
