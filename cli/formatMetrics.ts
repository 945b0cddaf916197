import type { StreamMetrics } from '../lib/types/streamMetrics';

const ms = (v: number | undefined) => (v === undefined ? '–' : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`);
const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`);

/** The live status line: chunks, time to first chunk, tokens per second. */
export function formatStatus(m: StreamMetrics): string {
  return `${m.chunksReceived} chunks · TTFT ${ms(m.timeToFirstChunkMs)} · ${m.tokensPerSecond.toFixed(1)} tok/s · ${ms(m.durationMs)}`;
}

/** The one-line summary at the end. */
export function formatSummary(m: StreamMetrics): string {
  const mark = m.status === 'completed' ? '✓' : m.status === 'cancelled' ? '■' : '✗';
  const tokens = `${m.outputTokens} tokens${m.outputTokensEstimated ? ' (estimated)' : ''}`;
  return `${mark} ${m.status} · ${m.provider ?? '?'}${m.model ? `/${m.model}` : ''} · ${m.chunksReceived} chunks · ${size(m.bytesReceived)} · TTFT ${ms(
    m.timeToFirstChunkMs,
  )} · ${tokens} · ${m.tokensPerSecond.toFixed(1)} tok/s · ${ms(m.durationMs)}`;
}
