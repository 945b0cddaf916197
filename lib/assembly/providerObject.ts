import { render } from '../codec/reportErrors';
import { ConfigError } from '../errors/configError';
import type { Provider } from '../provider';

/** Whether `ref` is a provider object: an id, a request builder and a decoder factory. */
export function isProviderObject(ref: unknown): ref is Provider<any> {
  return (
    ref !== null &&
    typeof ref === 'object' &&
    typeof (ref as Provider).id === 'string' &&
    typeof (ref as Provider).buildRequest === 'function' &&
    typeof (ref as Provider).createDecoder === 'function'
  );
}

/**
 * `ref` if it is a provider object, else the `ConfigError` on `provider` that says what was expected.
 *
 * @example
 * providerObject('openai', 'a provider object (rxllm/core takes no ids: import it from rxllm/providers/openai)'); // throws ConfigError
 */
export function providerObject(ref: unknown, expected: string): Provider<any> {
  if (isProviderObject(ref)) return ref;
  throw new ConfigError('provider', [{ path: 'provider', expected, got: render(ref) }]);
}
