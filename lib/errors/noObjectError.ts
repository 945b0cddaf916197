import { isErrorNamed, RxllmError } from './rxllmError';

/**
 * Why a structured answer has no object: the model refused (`'refusal'`: OpenAI's `refusal` text,
 * marked `metadata.refusal` on its chunks, or Anthropic's `stop_reason: "refusal"`), the answer was
 * cut at the token limit (`'length'`: `finishReason: 'length'`), or a content filter stopped it
 * (`'content-filter'`: `finishReason: 'content_filter'`, e.g. Gemini's safety block).
 */
export type NoObjectReason = 'refusal' | 'length' | 'content-filter';

/**
 * A structured answer (`partialObjects`, `toObject`) ended without a whole object, for a reason that
 * is not bad JSON: the model refused, the answer was cut at the token limit, or a content filter
 * stopped it. `reason` says which; `text` is what the model wrote (the refusal, or the cut answer),
 * cut to 2,000 characters. Raise `maxTokens` for `'length'`; rephrase for `'refusal'`.
 *
 * @example
 * streamChat$('openai', messages).pipe(toObject(Recipe)).subscribe({
 *   error: (e) => isNoObjectError(e) && e.reason === 'refusal' && showRefusal(e.text),
 * });
 */
export class NoObjectError extends RxllmError {
  override name = 'NoObjectError';
  readonly reason: NoObjectReason;
  /** what the model wrote, cut to 2,000 characters */
  readonly text: string;
  /** the answer's finish reason, as the chunks said it */
  readonly finishReason?: string;

  constructor(init: { provider?: string; reason: NoObjectReason; text: string; finishReason?: string }) {
    const why = {
      refusal: 'the model refused',
      length: `the answer was cut at the token limit (finish reason 'length', raise maxTokens)`,
      'content-filter': `a content filter stopped the answer (finish reason 'content_filter')`,
    }[init.reason];
    const text = init.text.length > 2000 ? `${init.text.slice(0, 2000)}…` : init.text;
    super(`${init.provider ?? 'the model'}: no object in the answer: ${why}${init.reason === 'refusal' && text ? `: ${JSON.stringify(text.slice(0, 200))}` : ''}`, { provider: init.provider });
    this.reason = init.reason;
    this.text = text;
    if (init.finishReason !== undefined) this.finishReason = init.finishReason;
  }
}

export const isNoObjectError = isErrorNamed<NoObjectError>('NoObjectError');
