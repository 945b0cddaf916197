import { TestScheduler } from 'rxjs/testing';
import { formatServerSentEvent, toServerSentEvents } from '../../operators';
import { HttpError, type Chunk } from '../../lib';

const chunk = (seq: number, fields: Partial<Chunk> = {}): Chunk => ({ provider: 'openai', seq, bytes: 1, ...fields });

describe('toServerSentEvents', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));

  test('one event per chunk with seq as its id, then done with the finish reason', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = chunk(0, { content: 'Hi' });
      const b = chunk(1, { finishReason: 'stop' });
      const source = cold('-a-b-|', { a, b });
      expectObservable(source.pipe(toServerSentEvents())).toBe('-a-b-(d|)', {
        a: { id: '0', data: a },
        b: { id: '1', data: b },
        d: { type: 'done', data: { finishReason: 'stop' } },
      });
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  test('an error becomes an error event with public fields only, and the stream completes', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const error = new HttpError({ provider: 'openai', status: 429, body: { secret: 'x' }, headers: { 'x-request-id': 'r' }, detail: 'slow down', retryable: true });
      expectObservable(cold('-a-#', { a: chunk(0, { content: 'Hi' }) }, error).pipe(toServerSentEvents())).toBe('-a-(e|)', {
        a: { id: '0', data: chunk(0, { content: 'Hi' }) },
        e: { type: 'error', data: { name: 'HttpError', message: 'openai answered HTTP 429: slow down', retryable: true, status: 429 } },
      });
      expectObservable(cold<Chunk>('#', undefined, new Error('internal detail')).pipe(toServerSentEvents())).toBe('(e|)', {
        e: { type: 'error', data: { name: 'Error', message: 'The stream failed.', retryable: false } },
      });
    });
  });

  test('formatServerSentEvent writes id, event and one data line per line', () => {
    expect(formatServerSentEvent({ id: '3', data: { content: 'a\nb' } })).toBe('id: 3\ndata: {"content":"a\\nb"}\n\n');
    expect(formatServerSentEvent({ type: 'note', data: 'two\nlines', retry: 1000 })).toBe('event: note\nretry: 1000\ndata: two\ndata: lines\n\n');
  });
});
