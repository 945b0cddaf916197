import { readBody, type ResponseBody } from './bodyReader';

/** The most of an error body that is kept: a proxy's HTML page or a provider's error JSON is far smaller. */
export const MAX_ERROR_BODY = 1 << 20;

/**
 * Reads a whole body as UTF-8 text (an error answer's, or a side request's JSON) and hands it to
 * `done` once: at the end, or when the connection breaks, with that `error` and the text received
 * until then. Past `maxBytes` the rest is read but not kept — or, with `whenFull: 'stop'`, not read
 * at all: the body is released there and `done` has the start (for a body that is not what was
 * asked for, and may never end). Returns the cancel function; after it, `done` is not called.
 *
 * @example
 * cancel = readBodyText(response.body, MAX_ERROR_BODY, (text, error) => fail(toHttpError({ …, text, cut: error !== undefined })));
 */
export function readBodyText(
  body: ResponseBody,
  maxBytes: number,
  done: (text: string, error?: unknown) => void,
  whenFull: 'drain' | 'stop' = 'drain',
): () => void {
  const parts: string[] = [];
  const utf8 = new TextDecoder('utf-8');
  let size = 0;
  let stopped = false;
  const cancel = readBody(body, {
    data(bytes) {
      if (size > maxBytes || stopped) return;
      size += bytes.byteLength;
      parts.push(utf8.decode(bytes, { stream: true }));
      if (whenFull === 'stop' && size >= maxBytes) {
        stopped = true;
        cancel();
        parts.push(utf8.decode());
        done(parts.join(''));
      }
    },
    end() {
      parts.push(utf8.decode());
      done(parts.join(''));
    },
    error(error) {
      done(parts.join(''), error);
    },
  });
  return () => {
    stopped = true;
    cancel();
  };
}
