/**
 * The benchmark of issue 7: rxllm (the built package in ../dist) against the raw limit and its
 * peers. Prints a table per section and writes bench/results.json. Run it from the repository root
 * with `npm run bench` (which builds first and installs bench/'s own dependencies).
 *
 *   node --expose-gc bench/run.mjs [--runs 5] [--only throughput,loopback,accumulation,partialJson,latency,persist] [--quick]
 *
 * `--quick` shrinks every size (10k-chunk bodies, 100 loopback streams, 3 runs) to check the
 * harness itself in seconds; its figures are not the benchmark's.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { rxllmVersion } from './lib/builtPackage.mjs';
import { round } from './lib/stats.mjs';
import { measureAccumulation } from './accumulation.mjs';
import { measureThroughput } from './inProcess.mjs';
import { measureLatency } from './latency.mjs';
import { measureLoopback } from './loopback.mjs';
import { measurePartialJson } from './partialJson.mjs';
import { measurePersist } from './persist.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    only: { type: 'string', default: 'throughput,loopback,accumulation,partialJson,latency,persist' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: fileURLToPath(new URL('./results.json', import.meta.url)) },
  },
});
const quick = values.quick;
const runs = quick ? 3 : Math.max(5, Number(values.runs));
const sections = new Set(values.only.split(','));
const log = (line) => process.stderr.write(`${line}\n`);
if (!globalThis.gc) log('note: run with --expose-gc (npm run bench does) so garbage is collected between runs');

/** the installed version of `name` in bench/node_modules (`bench`) or the root node_modules (`root`) */
const versionOf = (where, name) =>
  JSON.parse(readFileSync(new URL(`${where === 'bench' ? '.' : '..'}/node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;

/** the commit measured, and whether the work tree had changes (the bench measures dist/, built from the work tree) */
function revision() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: git('rev-parse', '--short', 'HEAD'), uncommittedChanges: git('status', '--porcelain', '--untracked-files=no').split('\n').filter(Boolean).length };
  } catch {
    return undefined;
  }
}

const machine = {
  nproc: cpus().length,
  cpu: cpus()[0]?.model,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  os: `${process.platform} ${release()}`,
  loadAverageAtStart: loadavg().map((x) => round(x, 2)),
};
const versions = {
  rxllm: rxllmVersion,
  openai: versionOf('bench', 'openai'),
  ai: versionOf('bench', 'ai'),
  '@ai-sdk/openai': versionOf('bench', '@ai-sdk/openai'),
  '@anthropic-ai/sdk': versionOf('bench', '@anthropic-ai/sdk'),
  'eventsource-parser': versionOf('bench', 'eventsource-parser'),
  axios: versionOf('root', 'axios'),
  rxjs: versionOf('root', 'rxjs'),
  'io-ts': versionOf('root', 'io-ts'),
};
const settings = {
  runs,
  quick,
  throughput: { chunks: quick ? 10_000 : 100_000, pieceBytes: 16 * 1024 },
  loopback: { streams: quick ? 100 : 1000, chunks: 200 },
  accumulation: { counts: quick ? [10_000, 100_000] : [100_000, 1_000_000] },
  partialJson: { bytes: quick ? 100_000 : 1_000_000, chunks: quick ? 1000 : 10_000 },
  latency: { chunks: quick ? 300 : 1000, intervalMs: 1 },
  persist: { chunks: quick ? 10_000 : 100_000 },
};
const results = { date: new Date().toISOString(), revision: revision(), machine, versions, settings };
const started = performance.now();

if (sections.has('throughput')) {
  log(`throughput in process: ${settings.throughput.chunks} chunks per body, ${runs} runs per row`);
  results.throughput = await measureThroughput({ count: settings.throughput.chunks, runs, log });
}
if (sections.has('accumulation')) {
  log(`accumulation: toResponse() over ${settings.accumulation.counts.join(' and ')} chunks`);
  results.accumulation = measureAccumulation({ counts: settings.accumulation.counts, runs });
}
if (sections.has('partialJson')) {
  log(`partial JSON: partialObjects() over a ${settings.partialJson.bytes.toLocaleString('en')}-character answer in ${settings.partialJson.chunks.toLocaleString('en')} chunks`);
  results.partialJson = measurePartialJson({ ...settings.partialJson, runs });
}
if (sections.has('loopback')) {
  log(`loopback: ${settings.loopback.streams} concurrent streams of ${settings.loopback.chunks} chunks, ${runs} runs per client`);
  results.loopback = await measureLoopback({ ...settings.loopback, runs, log });
}
if (sections.has('latency')) {
  log(`latency: ${settings.latency.chunks} chunks, one every ${settings.latency.intervalMs} ms, ${runs} runs per client`);
  results.latency = await measureLatency({ ...settings.latency, runs, log });
}
if (sections.has('persist')) {
  log(`persistStream: ${settings.persist.chunks} chunks to a local redis-server, with and without, ${runs} runs each`);
  results.persist = await measurePersist({ count: settings.persist.chunks, runs, log });
}
machine.loadAverageAtEnd = loadavg().map((x) => round(x, 2));
results.totalSeconds = round((performance.now() - started) / 1000, 3);
results.targets = targets(results);

print(results);
writeFileSync(values.out, `${JSON.stringify(results, (key, value) => (typeof value === 'number' && !Number.isInteger(value) ? round(value, 5) : value), 2)}\n`);
log(`\nwrote ${values.out}`);

/** The issue's targets, each with the measured value and whether it is met. */
function targets(r) {
  const list = [];
  const add = (name, value, limit, met) => list.push({ target: name, value: round(value, 3), limit, met });
  const row = (id) => r.throughput?.rows.find((x) => x.id === id);
  if (r.throughput) {
    const ratio = (id) => row(id).ratioToRawLimit;
    add('rxllm default ≥ 0.85 × raw limit (in memory; issues 7, 15)', ratio('rxllm-openai'), 0.85, ratio('rxllm-openai') >= 0.85);
    add('all coordinator features ≥ 0.7 × raw limit (issue 15)', ratio('rxllm-all-openai'), 0.7, ratio('rxllm-all-openai') >= 0.7);
    add('Anthropic default ≥ 0.8 × raw limit (issue 15)', ratio('rxllm-anthropic'), 0.8, ratio('rxllm-anthropic') >= 0.8);
    // tracing's overhead: 1 − traced rate / default rate, each the median of runs paired with the raw limit
    const overhead = 1 - ratio('rxllm-otel-openai') / ratio('rxllm-openai');
    add('tracing overhead (otelTelemetry) ≤ 5 % of the default pipeline (in memory; issue 20)', overhead, 0.05, overhead <= 0.05);
    // ratios of the paired ratios: each side measured against the raw limit under the same load
    const vsOpenAI = ratio('rxllm-openai') / ratio('openai-node');
    add('rxllm default ≥ 4 × openai-node (in memory; issue 7)', vsOpenAI, 4, vsOpenAI >= 4);
    const vsAi = ratio('rxllm-openai') / ratio('ai-sdk');
    add('rxllm default ≥ 25 × Vercel AI SDK (in memory; issues 7, 15)', vsAi, 25, vsAi >= 25);
  }
  if (r.loopback) {
    add('rxllm ≥ 2 × openai-node over loopback (wall time; issue 7)', r.loopback.wallSpeedupVsOpenAINode, 2, r.loopback.wallSpeedupVsOpenAINode >= 2);
    const rss = r.loopback.rows.find((x) => x.lib === 'rxllm').rssPerStreamKiB;
    add(`${r.loopback.streams} concurrent loopback streams ≤ 100 KiB RSS per stream (issue 7)`, rss, 100, rss <= 100);
  }
  if (r.accumulation) {
    const [small, large] = r.accumulation.rows.map((x) => x.chunks.toLocaleString('en'));
    add(`toResponse over ${large} chunks ≤ 12 × the time of ${small} (issue 7)`, r.accumulation.growth, 12, r.accumulation.growth <= 12);
  }
  if (r.partialJson) {
    const p = r.partialJson;
    add(`partialObjects: time per chunk in the last tenth ≤ 2 × the first tenth (flat; issue 19)`, p.lastToFirst, 2, p.lastToFirst <= 2);
  }
  return list;
}

/** A markdown table; the first `textColumns` columns are left-aligned, the rest (numbers) right-aligned. */
function table(headers, rows, textColumns = 1) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => (i < textColumns ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  return [line(headers), `|${widths.map((w, i) => (i < textColumns ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

function print(r) {
  const out = [];
  if (r.revision) out.push(`\nrevision: ${r.revision.commit}${r.revision.uncommittedChanges ? ` + ${r.revision.uncommittedChanges} changed files` : ''}`);
  out.push(`machine: ${r.machine.nproc} × ${r.machine.cpu}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, load average ${r.machine.loadAverageAtStart.join(' ')} → ${r.machine.loadAverageAtEnd.join(' ')}`);
  if (r.throughput) {
    const t = r.throughput;
    out.push(`\nThroughput in process (${t.count.toLocaleString('en')} chunks per body, 16 KiB pieces, median of ${t.runs} runs; × raw limit = median of runs paired with a raw-limit run)\n`);
    out.push(
      table(
        ['body', 'row', 'median ms', 'M chunks/s', '× raw limit'],
        t.rows.map((x) => [x.body, x.label, round(x.medianMs, 3), round(x.chunksPerSecond / 1e6, 3), round(x.ratioToRawLimit, 2)]),
        2,
      ),
    );
  }
  if (r.loopback) {
    const l = r.loopback;
    out.push(`\nLoopback (${l.streams} concurrent streams × ${l.chunks} chunks from the mock server in another process, median of ${r.settings.runs} runs)\n`);
    out.push(
      table(
        ['client', 'wall ms', 'client CPU ms', 'k chunks/s', 'peak RSS KiB / stream', 'streams open at once'],
        l.rows.map((x) => [x.lib, round(x.wallMs, 3), round(x.cpuMs, 3), round(x.chunksPerSecond / 1e3, 3), round(x.rssPerStreamKiB, 3), x.maxOpen]),
      ),
    );
    out.push(`rxllm vs openai-node: ${round(l.wallSpeedupVsOpenAINode, 3)} × faster (wall), ${round(l.cpuSpeedupVsOpenAINode, 3)} × less CPU`);
  }
  if (r.accumulation) {
    const a = r.accumulation;
    out.push(`\nAccumulation: toResponse() over prebuilt chunks (median of ${r.settings.runs} runs)\n`);
    out.push(table(['chunks', 'toResponse ms', 'source alone ms', 'M chunks/s'], a.rows.map((x) => [x.chunks.toLocaleString('en'), round(x.toResponseMs, 3), round(x.sourceOnlyMs, 3), round(x.chunksPerSecond / 1e6, 3)])));
    out.push(`growth for ${a.sizeRatio} × the chunks: ${round(a.growth, 3)} × the time`);
  }
  if (r.partialJson) {
    const p = r.partialJson;
    out.push(`\nPartial JSON: partialObjects() over a ${p.bytes.toLocaleString('en')}-character answer (one long open array) in ${p.chunks.toLocaleString('en')} prebuilt chunks (median of ${p.runs} runs)\n`);
    out.push(
      table(
        ['row', 'value'],
        [
          ['µs per chunk, first tenth of the answer', round(p.firstTenthUsPerChunk, 3)],
          ['µs per chunk, last tenth of the answer', round(p.lastTenthUsPerChunk, 3)],
          ['last tenth / first tenth (1 = flat)', round(p.lastToFirst, 3)],
          ['partialObjects ms, whole answer', round(p.partialObjectsMs, 3)],
          ['values emitted', p.values],
          ['toObject(t.unknown) ms, whole answer', round(p.toObjectMs, 3)],
          ['JSON.parse of the whole text once, ms', round(p.jsonParseMs, 3)],
        ],
      ),
    );
  }
  if (r.latency) {
    const l = r.latency;
    out.push(`\nLatency: server write → subscriber, ${l.chunks} chunks one every ${l.intervalMs} ms (median over ${l.runs} runs of each run's percentile)\n`);
    out.push(table(['client', 'p50 ms', 'p99 ms', 'added p50 ms', 'added p99 ms'], l.rows.map((x) => [x.lib, round(x.p50Ms, 3), round(x.p99Ms, 3), round(x.addedP50Ms, 2), round(x.addedP99Ms, 2)])));
  }
  if (r.persist?.skipped) out.push(`\npersistStream: skipped (${r.persist.skipped})`);
  else if (r.persist) {
    const p = r.persist;
    out.push(`\npersistStream to a local redis-server (${p.count.toLocaleString('en')} chunks, OpenAI body through the stub socket, median of ${p.runs} paired runs)\n`);
    out.push(
      table(
        ['row', 'median ms', 'M chunks/s'],
        [
          ['chat without persistStream', round(p.chatWithoutMs, 3), round(p.chunksPerSecondWithout / 1e6, 3)],
          ['chat with persistStream (until the chat completes)', round(p.chatWithMs, 3), round(p.chunksPerSecondWith / 1e6, 3)],
          ['… until Redis has stored every chunk and the end marker', round(p.storedMs, 3), round(p.chunksPerSecondStored / 1e6, 3)],
        ],
      ),
    );
    out.push(`chat rate with / without: ${round(p.ratioWithToWithout, 3)}`);
    const kib = (bytes) => round(bytes / 1024, 3);
    out.push(`Redis memory per stored stream: ${kib(p.memory.typical.bytes)} KiB for a ${p.memory.typical.chunks}-chunk answer, ${kib(p.memory.large.bytes)} KiB for ${p.memory.large.chunks.toLocaleString('en')} chunks`);
  }
  if (r.targets.length) {
    out.push('\nTargets of the issues\n');
    out.push(table(['target', 'measured', 'met'], r.targets.map((x) => [x.target, x.value, x.met ? 'yes' : 'NO']), 1));
  }
  out.push(`\ntotal ${round(r.totalSeconds, 3)} s`);
  console.log(out.join('\n'));
}
