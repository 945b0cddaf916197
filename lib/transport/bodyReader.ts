/** The body of a streaming response: a Node `Readable` (axios http adapter) or a web `ReadableStream` (fetch adapter). */
export type ResponseBody = NodeJS.ReadableStream | ReadableStream<Uint8Array>;

export interface BodySink {
  data(bytes: Uint8Array): void;
  end(): void;
  error(error: unknown): void;
}

/**
 * Reads `body` into `sink` until it ends, fails or is cancelled. Returns the cancel function; after
 * it, the sink hears nothing more and the underlying socket is released.
 */
export function readBody(body: ResponseBody, sink: BodySink): () => void {
  return isWebStream(body) ? readWebStream(body, sink) : readNodeStream(body as NodeReadable, sink);
}

/** Releases a body that is not wanted (the subscriber left while the headers were on their way). */
export function discardBody(body: ResponseBody): void {
  readBody(body, { data: noop, end: noop, error: noop })();
}

interface NodeReadable extends NodeJS.ReadableStream {
  destroy?(error?: Error): void;
  readableEnded?: boolean;
}

const isWebStream = (body: ResponseBody): body is ReadableStream<Uint8Array> =>
  typeof (body as ReadableStream).getReader === 'function';

function readNodeStream(stream: NodeReadable, sink: BodySink): () => void {
  let done = false;
  const onData = (bytes: Uint8Array) => {
    if (!done) sink.data(bytes);
  };
  const onEnd = () => finish(() => sink.end());
  const onError = (error: unknown) => finish(() => sink.error(error));
  // A socket reset can surface as 'close' without 'end' (and, depending on timing, without 'error').
  const onClose = () => finish(() => sink.error(Object.assign(new Error('connection closed before the body ended'), { code: 'ECONNRESET' })));
  const finish = (report: () => void) => {
    if (done) return;
    done = true;
    detach();
    report();
  };
  const detach = () => {
    stream.removeListener('data', onData);
    stream.removeListener('end', onEnd);
    stream.removeListener('error', onError);
    stream.removeListener('close', onClose);
    // keep a late 'error' from becoming an uncaught exception
    stream.on('error', noop);
  };
  stream.on('data', onData);
  stream.on('end', onEnd);
  stream.on('error', onError);
  stream.on('close', onClose);
  return () => {
    if (!done) {
      done = true;
      detach();
    }
    stream.destroy?.();
  };
}

function readWebStream(stream: ReadableStream<Uint8Array>, sink: BodySink): () => void {
  const reader = stream.getReader();
  let done = false;
  const pump = (): void => {
    reader.read().then(
      (result) => {
        if (done) return;
        if (result.done) {
          done = true;
          sink.end();
          return;
        }
        sink.data(result.value);
        pump();
      },
      (error: unknown) => {
        if (done) return;
        done = true;
        sink.error(error);
      },
    );
  };
  pump();
  return () => {
    if (done) return;
    done = true;
    reader.cancel().catch(noop);
  };
}

const noop = () => undefined;
