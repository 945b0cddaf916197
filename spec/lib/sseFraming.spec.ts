import { ParseError } from '../../lib/errors/parseError';
import { createSseFraming, NON_SSE_TEXT, type WireEvent } from '../../lib/transport/sseFraming';

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
  test('a last event without its blank line is still delivered at the end of the body (recorded Gemini bodies end so)', () => {
    expect(feedAll(['data: whole\n\ndata: last\r\n'])).toEqual([{ data: 'whole' }, { data: 'last' }]);
    expect(feedAll(['data: whole\n\ndata: last\r'])).toEqual([{ data: 'whole' }, { data: 'last' }]);
    expect(feedAll(['data: whole\n\ndata: cut'])).toEqual([{ data: 'whole' }, { data: 'cut' }]);
  });
  test('lines that are not SSE reach the decoder as one text event, in order', () => {
    expect(feedAll(['data: a\n\n{\n  "error": {\n    "code": 499\n  }\n}\n', '\ndata: b\n\n'])).toEqual([
      { data: 'a' },
      { event: NON_SSE_TEXT, data: '{\n  "error": {\n    "code": 499\n  }\n}' },
      { data: 'b' },
    ]);
    expect(feedAll(['data: a\n\nnot sse at all\n'])).toEqual([{ data: 'a' }, { event: NON_SSE_TEXT, data: 'not sse at all' }]);
  });
  test('an event over the size limit is a ParseError, and the parser stays failed', () => {
    const framing = createSseFraming(() => undefined, 1000);
    const feed = () => framing.feed(`data: ${'x'.repeat(2000)}`);
    expect(feed).toThrow(ParseError);
    expect(() => framing.feed('data: more\n\n')).toThrow(/exceeded the limit of 1000 bytes/);
  });
});
