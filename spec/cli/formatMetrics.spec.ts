import { formatStatus, formatSummary } from '../../cli/formatMetrics';
import type { StreamMetrics } from '../../lib/types/streamMetrics';

const metrics = (over: Partial<StreamMetrics>): StreamMetrics => ({
  provider: 'openai',
  model: 'gpt-4o-mini',
  status: 'streaming',
  chunksReceived: 12,
  bytesReceived: 2048,
  durationMs: 1500,
  chunksPerSecond: 8,
  bytesPerSecond: 1365,
  errors: 0,
  timeToFirstChunkMs: 40,
  outputTokens: 30,
  outputTokensEstimated: true,
  tokensPerSecond: 20.5,
  retries: 0,
  recoveries: 0,
  hops: 0,
  interChunkMs: { p50: 10, p90: 20, max: 30 },
  ...over,
});

describe('the status line and the summary', () => {
  test('one chunk and one token are singular, other counts plural', () => {
    expect(formatStatus(metrics({ chunksReceived: 1 }))).toMatch(/^1 chunk · /);
    expect(formatStatus(metrics({ chunksReceived: 0 }))).toMatch(/^0 chunks · /);
    const one = formatSummary(metrics({ status: 'completed', chunksReceived: 1, outputTokens: 1, outputTokensEstimated: false }));
    expect(one).toContain(' · 1 chunk · ');
    expect(one).toContain(' · 1 token · ');
    const many = formatSummary(metrics({ status: 'completed', outputTokensEstimated: false }));
    expect(many).toContain(' · 12 chunks · ');
    expect(many).toContain(' · 30 tokens · ');
  });

  test('the live rate says it is estimated while the token count is, and only then', () => {
    expect(formatStatus(metrics({}))).toBe('12 chunks · TTFT 40 ms · 20.5 tok/s (estimated) · 1.50 s');
    expect(formatStatus(metrics({ outputTokensEstimated: false }))).toBe('12 chunks · TTFT 40 ms · 20.5 tok/s · 1.50 s');
  });

  test('the requests recovery sent again are shown when there were any, singular for one', () => {
    expect(formatStatus(metrics({ recoveries: 1 }))).toMatch(/ · 1 recovery$/);
    expect(formatStatus(metrics({ retries: 2, recoveries: 2 }))).toMatch(/ · 2 retries · 2 recoveries$/);
    expect(formatSummary(metrics({ status: 'completed', retries: 1 }))).toMatch(/ · 1 retry$/);
    expect(formatSummary(metrics({ status: 'completed' }))).not.toMatch(/retr|recover/);
  });

  test('the summary marks how the stream ended', () => {
    expect(formatSummary(metrics({ status: 'completed', outputTokensEstimated: false }))).toBe(
      '✓ completed · openai/gpt-4o-mini · 12 chunks · 2.0 KiB · TTFT 40 ms · 30 tokens · 20.5 tok/s · 1.50 s',
    );
    expect(formatSummary(metrics({ status: 'cancelled' }))).toMatch(/^■ cancelled · .* · 30 tokens \(estimated\) · /);
    expect(formatSummary(metrics({ status: 'error', provider: undefined, model: undefined }))).toMatch(/^✗ error · \? · /);
  });
});
