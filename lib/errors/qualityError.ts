import { isErrorNamed, RxllmError } from './rxllmError';

/** One problem a quality check found, as `QualityError.issues` carries it (`type` says which). */
export interface QualityErrorIssue {
  /** e.g. `'repetition'`, `'empty'`, `'truncated'` */
  type: string;
  /** a readable description */
  message: string;
}

/**
 * The answer degenerated while it streamed — a repetition loop, an empty answer, a cut by the token
 * limit — and the quality check was told to fail (Anthropic's `validateQuality: { onIssue: 'error' }`).
 * `issues` says what was found; `partial` is the answer received before it.
 *
 * @example
 * streamChat$(anthropic, messages, { validateQuality: { onIssue: 'error' } }).subscribe({
 *   error: (e) => isQualityError(e) && console.warn(e.issues.map((i) => i.message)),
 * });
 */
export class QualityError extends RxllmError {
  override name = 'QualityError';
  readonly issues: readonly QualityErrorIssue[];

  constructor(init: { provider?: string; issues: readonly QualityErrorIssue[] }) {
    super(`${init.provider ?? 'the model'}: degenerate answer: ${init.issues.map((issue) => issue.message).join('; ')}`, { provider: init.provider });
    this.issues = init.issues;
  }
}

export const isQualityError = isErrorNamed<QualityError>('QualityError');
