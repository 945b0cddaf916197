import { formatIssue, type CodecIssue } from '../codec/reportErrors';
import { isErrorNamed, RxllmError } from './rxllmError';

/**
 * A structured answer that is valid JSON but not of the expected shape: `toObject(codec)` decoded
 * it and the codec failed. `issues` has one entry per failing path (as `ConfigError`'s: `path`,
 * `expected`, `got`), `value` is the parsed JSON and `raw` the answer's text (cut to 2,000
 * characters). Never retryable by itself: asking again may give the same shape.
 *
 * @example
 * streamChat$('openai', messages, { output: { schema: Recipe } }).pipe(toObject(Recipe)).subscribe({
 *   error: (e) => isOutputValidationError(e) && console.warn(e.issues.map((i) => i.path)), // ['steps.2.minutes']
 * });
 */
export class OutputValidationError extends RxllmError {
  override name = 'OutputValidationError';
  /** one entry per failing path of the value, e.g. `{ path: 'steps.2.minutes', expected: 'number', got: '"ten"' }` */
  readonly issues: CodecIssue[];
  /** the parsed JSON that failed the codec */
  readonly value: unknown;
  /** the answer's text, cut to 2,000 characters */
  readonly raw: string;

  constructor(init: { provider?: string; issues: CodecIssue[]; value: unknown; raw: string }) {
    super(`${init.provider ?? 'the model'}: the answer does not match the expected shape: ${init.issues.map(formatIssue).join('; ')}`, { provider: init.provider });
    this.issues = init.issues;
    this.value = init.value;
    this.raw = init.raw.length > 2000 ? `${init.raw.slice(0, 2000)}…` : init.raw;
  }
}

export const isOutputValidationError = isErrorNamed<OutputValidationError>('OutputValidationError');
