import type { StreamMetrics } from '../lib/types/streamMetrics';
import { countOf } from './countOf';

const ms = (v: number | undefined) => (v === undefined ? '–' : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`);
const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`);

/** The requests recovery sent again, when there were any: ` · 1 recovery`, ` · 2 retries`. */
const recovery = (m: StreamMetrics) =>
  `${m.retries > 0 ? ` · ${countOf(m.retries, 'retry', 'retries')}` : ''}${m.recoveries > 0 ? ` · ${countOf(m.recoveries, 'recovery', 'recoveries')}` : ''}`;

/**
 * The live status line: chunks, time to first chunk, tokens per second, and the requests recovery
 * sent. Until the provider reports its token count (most send it with the last chunk), the rate
 * counts tokens estimated from the text (about 4 characters a token) and says so: the summary's
 * rate, from the reported count, may differ from it noticeably.
 */
export function formatStatus(m: StreamMetrics): string {
  const rate = `${m.tokensPerSecond.toFixed(1)} tok/s${m.outputTokensEstimated ? ' (estimated)' : ''}`;
  return `${countOf(m.chunksReceived, 'chunk')} · TTFT ${ms(m.timeToFirstChunkMs)} · ${rate} · ${ms(m.durationMs)}${recovery(m)}`;
}

/** The one-line summary at the end. */
export function formatSummary(m: StreamMetrics): string {
  const mark = m.status === 'completed' ? '✓' : m.status === 'cancelled' ? '■' : '✗';
  const tokens = `${countOf(m.outputTokens, 'token')}${m.outputTokensEstimated ? ' (estimated)' : ''}`;
  return `${mark} ${m.status} · ${m.provider ?? '?'}${m.model ? `/${m.model}` : ''} · ${countOf(m.chunksReceived, 'chunk')} · ${size(m.bytesReceived)} · TTFT ${ms(
    m.timeToFirstChunkMs,
  )} · ${tokens} · ${m.tokensPerSecond.toFixed(1)} tok/s · ${ms(m.durationMs)}${recovery(m)}`;
}
