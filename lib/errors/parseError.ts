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
  /** where in the text the JSON went wrong (a structured answer read by `partialObjects` or `toObject`): the character's index, its line and column from 1 */
  readonly at?: { offset: number; line: number; column: number };

  constructor(init: { provider?: string; kind: ParseErrorKind; message: string; raw: string; cause?: unknown; at?: { offset: number; line: number; column: number } }) {
    super(init.message, { provider: init.provider, cause: init.cause });
    this.kind = init.kind;
    this.raw = init.raw.length > 500 ? `${init.raw.slice(0, 500)}…` : init.raw;
    if (init.at) this.at = init.at;
  }
}

export const isParseError = isErrorNamed<ParseError>('ParseError');
