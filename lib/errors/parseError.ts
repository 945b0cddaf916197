import { isErrorNamed, RxllmError } from './rxllmError';

export type ParseErrorKind = 'json' | 'schema' | 'event-too-large' | 'framing';

/**
 * Bytes that do not make a valid event: JSON that does not parse, a payload that fails its codec,
 * or an event larger than `maxEventBytes`. `raw` holds the start of the offending line.
 */
export class ParseError extends RxllmError {
  override name = 'ParseError';
  readonly kind: ParseErrorKind;
  /** the offending event or line, cut to 500 characters */
  readonly raw: string;

  constructor(init: { provider?: string; kind: ParseErrorKind; message: string; raw: string; cause?: unknown }) {
    super(init.message, { provider: init.provider, cause: init.cause });
    this.kind = init.kind;
    this.raw = init.raw.length > 500 ? `${init.raw.slice(0, 500)}…` : init.raw;
  }
}

export const isParseError = isErrorNamed<ParseError>('ParseError');
