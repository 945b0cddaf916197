import { inspect } from 'node:util';
import { AbortError, isAbortError, isRxllmError, publicErrorFields } from '../../lib';

describe('AbortError', () => {
  test("is named like the DOM's, is an rxllm error, never retryable, and keeps the signal's reason as it is (also as cause)", () => {
    const reason = new Error('user left');
    const error = new AbortError({ provider: 'openai', reason });
    expect(error.name).toBe('AbortError');
    expect(error).toBeInstanceOf(Error);
    expect(isAbortError(error)).toBe(true);
    expect(isRxllmError(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(error.provider).toBe('openai');
    expect(error.reason).toBe(reason);
    expect(error.cause).toBe(reason);
  });

  test('the message names the kind of reason, never its text', () => {
    const secretText = 'token=abc123-user-data';
    const message = (reason: unknown) => new AbortError({ provider: 'openai', reason }).message;
    expect(message(new DOMException('This operation was aborted', 'AbortError'))).toBe("openai: aborted by the caller's signal (reason: AbortError)");
    expect(message(new DOMException('signal timed out', 'TimeoutError'))).toBe("openai: aborted by the caller's signal (reason: TimeoutError)");
    expect(message(new TypeError(secretText))).toBe("openai: aborted by the caller's signal (reason: TypeError)");
    expect(message(secretText)).toBe("openai: aborted by the caller's signal (reason: a string)");
    expect(message({ why: secretText })).toBe("openai: aborted by the caller's signal (reason: an object)");
    expect(message(42)).toBe("openai: aborted by the caller's signal (reason: a number)");
    expect(message(undefined)).toBe("openai: aborted by the caller's signal (reason: none)");
    expect(message(Object.assign(new Error('x'), { name: `${secretText} with spaces` }))).toBe("openai: aborted by the caller's signal (reason: an error)");
    expect(new AbortError({ reason: undefined }).message).toBe("stream: aborted by the caller's signal (reason: none)");
    // what may leave the process holds only the message
    expect(JSON.stringify(publicErrorFields(new AbortError({ provider: 'openai', reason: new Error(secretText) })))).not.toContain(secretText);
  });

  test("isAbortError is true only for rxllm's (a DOM AbortError is matched by name alone)", () => {
    const dom = new DOMException('This operation was aborted', 'AbortError');
    expect(isAbortError(dom)).toBe(false);
    expect(dom.name).toBe(new AbortError({ reason: dom }).name);
    expect(isAbortError(new Error('x'))).toBe(false);
    expect(isAbortError(undefined)).toBe(false);
  });

  test('inspect shows the reason as the caller gave it (it is theirs), nothing else of the request', () => {
    const rendered = inspect(new AbortError({ provider: 'openai', reason: new Error('user left') }), { depth: 5 });
    expect(rendered).toContain('user left');
    expect(rendered).toContain("openai: aborted by the caller's signal (reason: Error)");
  });
});
