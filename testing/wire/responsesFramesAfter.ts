import type { FramedStream } from '../route';

/**
 * The stream of a Responses API response again, from after the event numbered `after`: its frames
 * whose `sequence_number` is greater, byte for byte as they were first written (frame i of a
 * Responses stream is event i), with what the server's faults need shifted to match — the content
 * frames among them, the terminal frame when it is among them, and an error frame numbered where it
 * falls. Past the last event, no frame at all: the stream ends at once.
 *
 * @example
 * responsesFramesAfter(responsesFrames(wire), 41).stream[0]; // 'event: …\ndata: {"type":…,"sequence_number":42,…}\n\n'
 */
export function responsesFramesAfter(framed: FramedStream, after: number): FramedStream {
  const from = Math.min(Math.max(after + 1, 0), framed.stream.length);
  const stream = framed.stream.slice(from);
  const errorFrameAfter = framed.errorFrameAfter;
  return {
    stream,
    contentFrames: framed.contentFrames.filter((index) => index >= from).map((index) => index - from),
    terminalFrames: Math.min(framed.terminalFrames, stream.length),
    errorFrame: framed.errorFrame,
    errorFrameAfter: errorFrameAfter && ((count) => errorFrameAfter(from + count)),
    malformedFrame: framed.malformedFrame,
  };
}
