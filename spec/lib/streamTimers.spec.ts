import { startStreamTimers } from '../../lib/transport/streamTimers';

describe('stream timers (virtual time)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('idle: fires only after idleMs without activity; activity pushes it back without re-arming per read', () => {
    const fired: string[] = [];
    const timers = startStreamTimers({ idleMs: 100 }, (kind, ms) => fired.push(`${kind}:${ms}`));
    jest.advanceTimersByTime(60);
    timers.activity();
    jest.advanceTimersByTime(60);
    timers.activity();
    jest.advanceTimersByTime(99);
    expect(fired).toEqual([]);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(['idle:100']);
    expect(jest.getTimerCount()).toBe(0);
  });

  test('first-chunk: fires unless the first chunk came in time', () => {
    const late: string[] = [];
    startStreamTimers({ firstChunkMs: 50 }, (kind) => late.push(kind));
    jest.advanceTimersByTime(50);
    expect(late).toEqual(['first-chunk']);

    const inTime: string[] = [];
    const timers = startStreamTimers({ firstChunkMs: 50 }, (kind) => inTime.push(kind));
    jest.advanceTimersByTime(49);
    timers.firstChunk();
    jest.advanceTimersByTime(1000);
    expect(inTime).toEqual([]);
  });

  test('total: fires however busy the stream is', () => {
    const fired: string[] = [];
    const timers = startStreamTimers({ totalMs: 200, idleMs: 50 }, (kind) => fired.push(kind));
    for (let t = 0; t < 200; t += 10) {
      timers.activity();
      jest.advanceTimersByTime(10);
    }
    expect(fired).toEqual(['total']);
    timers.clear();
  });

  test('clear leaves no timer behind', () => {
    const timers = startStreamTimers({ totalMs: 200, idleMs: 50, firstChunkMs: 20 }, () => undefined);
    expect(jest.getTimerCount()).toBe(3);
    timers.clear();
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('stream timers (real time)', () => {
  const liveTimers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

  test('keep the process alive while the stream is pending (not unref’d), and clear leaves none', () => {
    const before = liveTimers();
    const timers = startStreamTimers({ firstChunkMs: 600_000, idleMs: 300_000 }, () => undefined);
    // process.getActiveResourcesInfo() lists only the timers that hold the event loop open
    expect(liveTimers()).toBe(before + 2);
    timers.clear();
    expect(liveTimers()).toBe(before);
  });
});
