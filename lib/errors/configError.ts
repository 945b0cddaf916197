import { formatIssue, type CodecIssue } from '../codec/reportErrors';
import { isErrorNamed, RxllmError } from './rxllmError';

/**
 * A call or an option that cannot work, found before any request is sent.
 *
 * @example
 * streamChat$('openai', messages, { timeout: { idleMs: 'soon' } }).subscribe({ error: (e) => e.message });
 * // → 'Invalid options: timeout.idleMs: expected a positive number or false, got "soon"'
 */
export class ConfigError extends RxllmError {
  override name = 'ConfigError';
  /** one entry per failing path */
  readonly issues: CodecIssue[];

  constructor(what: string, issues: CodecIssue[]) {
    super(`Invalid ${what}: ${issues.map(formatIssue).join('; ')}`);
    this.issues = issues;
  }
}

export const isConfigError = isErrorNamed<ConfigError>('ConfigError');
