import { isErrorNamed, RxllmError } from './rxllmError';

/**
 * The provider reported an error inside a stream that had started with HTTP 200
 * (`data: {"error": …}`, Anthropic `event: error`, an Ollama `{"error": …}` line).
 */
export class ProviderStreamError extends RxllmError {
  override name = 'ProviderStreamError';
  /** the provider's error type, e.g. `server_error`, `overloaded_error` */
  readonly errorType?: string;
  readonly code?: string | number;
  /** the error payload as sent */
  readonly body: unknown;

  constructor(init: { provider: string; message: string; errorType?: string; code?: string | number; body: unknown; retryable: boolean }) {
    super(`${init.provider} stream error${init.errorType ? ` (${init.errorType})` : ''}: ${init.message}`, {
      provider: init.provider,
      retryable: init.retryable,
    });
    if (init.errorType !== undefined) this.errorType = init.errorType;
    if (init.code !== undefined) this.code = init.code;
    this.body = init.body;
  }
}

export const isProviderStreamError = isErrorNamed<ProviderStreamError>('ProviderStreamError');
