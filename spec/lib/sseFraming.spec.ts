import { ParseError } from '../../lib/errors/parseError';
import { createSseFraming, type WireEvent } from '../../lib/transport/sseFraming';

const feedAll = (pieces: string[], max = 1 << 20) => {
  const events: WireEvent[] = [];
  const framing = createSseFraming((e) => events.push({ data: e.data, ...(e.event ? { event: e.event } : {}) }), max);
  for (const p of pieces) framing.feed(p);
  framing.end();
  return events;
};

describe('SSE framing', () => {
  test('LF, CRLF and CR line ends, comments ignored, multi-line data joined', () => {
    expect(feedAll([': keep-alive\n\ndata: a\r\n\r\nevent: ping\rdata: b\r\rdata: c\ndata: d\n\n'])).toEqual([
      { data: 'a' },
      { event: 'ping', data: 'b' },
      { data: 'c\nd' },
    ]);
  });
  test('an event split across feeds at every offset comes out whole', () => {
    const text = 'event: message_delta\ndata: {"x":1}\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      expect(feedAll([text.slice(0, cut), text.slice(cut)])).toEqual([{ event: 'message_delta', data: '{"x":1}' }]);
    }
  });
  test('an unterminated event at the end is dropped, as the SSE spec says', () => {
    expect(feedAll(['data: whole\n\ndata: cut'])).toEqual([{ data: 'whole' }]);
  });
  test('an event over the size limit is a ParseError, and the parser stays failed', () => {
    const framing = createSseFraming(() => undefined, 1000);
    const feed = () => framing.feed(`data: ${'x'.repeat(2000)}`);
    expect(feed).toThrow(ParseError);
    expect(() => framing.feed('data: more\n\n')).toThrow(/exceeded the limit of 1000 bytes/);
  });
});
