import { isErrorNamed, RxllmError } from './rxllmError';

/** Why a local model server cannot take the request. */
export type LocalServerErrorKind = 'unreachable' | 'model-not-loaded' | 'model-not-found';

/**
 * A local model server (LM Studio) is not ready for the request, found before any chat request is
 * sent: nothing answers at the base URL, or the model is not loaded, or not there at all. `fix` is
 * the command that cures it (`lms server start`, `lms load <model>`), also named in the message.
 *
 * @example
 * streamChat$('lmstudio', messages, { validateLocal: true }).subscribe({
 *   error: (e) => isLocalServerError(e) && console.error(e.message), // … — load the model: lms load qwen/qwen3-4b
 * });
 */
export class LocalServerError extends RxllmError {
  override name = 'LocalServerError';
  readonly kind: LocalServerErrorKind;
  /** what to do about it, e.g. `lms load qwen/qwen3-4b` */
  readonly fix: string;
  /** the server's base URL */
  readonly url: string;
  /** the model asked for */
  readonly model?: string;
  /** the models the server has, when it listed them */
  readonly available?: readonly string[];

  constructor(init: {
    provider?: string;
    kind: LocalServerErrorKind;
    message: string;
    fix: string;
    url: string;
    model?: string;
    available?: readonly string[];
    cause?: unknown;
  }) {
    super(init.message, { provider: init.provider, cause: init.cause });
    this.kind = init.kind;
    this.fix = init.fix;
    this.url = init.url;
    if (init.model !== undefined) this.model = init.model;
    if (init.available !== undefined) this.available = init.available;
  }
}

export const isLocalServerError = isErrorNamed<LocalServerError>('LocalServerError');
