import type { MockFault } from './mockFault';
import type { FramedStream } from './route';

/**
 * The frames a stream sends under `fault`, from the route's own frames:
 * - `error-event`: everything before content frame number `afterChunks` (all of the content when
 *   there are fewer), then the API's error frame (numbered after them where the API numbers its
 *   events, see `FramedStream.errorFrameAfter`), and no more;
 * - `malformed`: the same cut, the broken frame, then the rest of the answer;
 * - `truncate`: everything but the terminal frames (finish reason, usage, terminator);
 * - `cut`: everything up to the last content frame, and nothing after it (a block's end, the finish
 *   reason, the usage, the terminator); with no content frame, everything before the terminal frames.
 *   The route has already cut the answer itself (see `cutTurn`), and the server closes the connection
 *   after the last frame (see `deliverySteps`);
 * - any other fault (or none): the frames as they are — byte faults cut them later.
 *
 * @example
 * faultedFrames(stream, { kind: 'error-event', afterChunks: 2 }); // preamble, 2 content frames, the error frame
 */
export function faultedFrames(framed: FramedStream, fault: MockFault | null): string[] {
  const { stream } = framed;
  switch (fault?.kind) {
    case 'error-event': {
      const cut = cutBefore(framed, fault.afterChunks);
      return [...stream.slice(0, cut), framed.errorFrameAfter?.(cut) ?? framed.errorFrame];
    }
    case 'malformed': {
      const cut = cutBefore(framed, fault.afterChunks);
      return [...stream.slice(0, cut), framed.malformedFrame, ...stream.slice(cut)];
    }
    case 'truncate':
      return stream.slice(0, stream.length - framed.terminalFrames);
    case 'cut': {
      const { contentFrames } = framed;
      return stream.slice(0, contentFrames.length > 0 ? contentFrames[contentFrames.length - 1] + 1 : stream.length - framed.terminalFrames);
    }
    default:
      return stream;
  }
}

/** Whether `fault` changes a stream's frames, so it has no meaning for a plain JSON answer. */
export function isFrameFault(fault: MockFault | null): boolean {
  return fault?.kind === 'error-event' || fault?.kind === 'malformed' || fault?.kind === 'truncate' || fault?.kind === 'cut';
}

/** The index of content frame `n` (0-based), or of the first terminal frame when there are no more. */
function cutBefore({ stream, contentFrames, terminalFrames }: FramedStream, n: number): number {
  return n < contentFrames.length ? contentFrames[n] : stream.length - terminalFrames;
}
