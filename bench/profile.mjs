/**
 * Profiles one in-process throughput row (default: rxllm's default path on the OpenAI body) with
 * `node --cpu-prof`, and prints where the time goes: self time per function (rxllm's own functions
 * mapped back to their TypeScript source through dist/'s source maps) and per package.
 *
 *   npm run build && node bench/profile.mjs [--row rxllm-openai] [--runs 8] [--top 25]
 *   node bench/profile.mjs --summarize some.cpuprofile   # any profile, whole (e.g. of loopbackClient.mjs)
 *
 * Only the samples taken while the timed runs go (not the body generation or the warm-up) count.
 * The raw profile stays in the printed directory; open it in Chrome DevTools or speedscope.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    child: { type: 'boolean', default: false },
    row: { type: 'string', default: 'rxllm-openai' },
    runs: { type: 'string', default: '8' },
    top: { type: 'string', default: '25' },
    window: { type: 'string' },
    json: { type: 'string' },
    summarize: { type: 'string' },
  },
});
const root = fileURLToPath(new URL('..', import.meta.url));
const maps = new Map();

if (values.child) {
  // the profiled process: warm up, then mark the window of the timed runs (monotonic µs, the profiler's clock)
  const { measureThroughput, throughputRows } = await import('./inProcess.mjs');
  // the row's own raw limit first (the body it reads), outside the window, for the ratio
  const limitId = throughputRows().find((row) => row.id === values.row)?.limit ?? 'raw-openai';
  const raw = await measureThroughput({ count: 100_000, runs: 3, only: [limitId] });
  const marks = {};
  const result = await measureThroughput({
    count: 100_000,
    runs: Number(values.runs),
    only: [values.row],
    paired: false,
    log: (line) => {
      // the window opens when the first timed round ends and closes after the last
      if (!marks.start) marks.start = Number(process.hrtime.bigint() / 1000n);
      marks.end = Number(process.hrtime.bigint() / 1000n);
      process.stderr.write(`${line}\n`);
    },
  });
  const limit = raw.rows[0].chunksPerSecond;
  const rows = [...raw.rows, ...result.rows].map((r) => ({ id: r.id, chunksPerSecond: r.chunksPerSecond, ratioToRawLimit: r.chunksPerSecond / limit }));
  writeFileSync(values.window, JSON.stringify({ ...marks, rows }));
  process.exit(0);
}

if (values.summarize) {
  const profile = JSON.parse(readFileSync(values.summarize, 'utf8'));
  const summary = summarize(profile, { start: -Infinity, end: Infinity }, Number(values.top));
  print(summary, { rows: [] }, values.summarize);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'rxllm-profile-'));
const windowFile = join(dir, 'window.json');
const run = spawnSync(
  process.execPath,
  ['--expose-gc', '--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, fileURLToPath(import.meta.url), '--child', '--row', values.row, '--runs', values.runs, '--window', windowFile],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
if (run.status !== 0) process.exit(run.status ?? 1);
const profileFile = join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile')));
const windowMarks = JSON.parse(readFileSync(windowFile, 'utf8'));
const summary = summarize(JSON.parse(readFileSync(profileFile, 'utf8')), windowMarks, Number(values.top));
print(summary, windowMarks, profileFile);
if (values.json) writeFileSync(values.json, `${JSON.stringify({ row: values.row, profileFile, throughput: windowMarks.rows, ...summary }, null, 2)}\n`);

/** Self time per function and per package, from the samples inside [start, end]. */
function summarize(profile, { start, end }, top) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (t < start || t > end) continue;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(profile.samples[i]);
    self.set(node.id, (self.get(node.id) ?? 0) + dt);
    total += dt;
  }
  const functions = new Map();
  const packages = new Map();
  for (const [id, us] of self) {
    const frame = byId.get(id).callFrame;
    const where = locate(frame);
    const key = `${frame.functionName || '(anonymous)'} @ ${where.place}`;
    const entry = functions.get(key) ?? { name: frame.functionName || '(anonymous)', place: where.place, package: where.package, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    packages.set(where.package, (packages.get(where.package) ?? 0) + us);
  }
  const pct = (us) => Math.round((us / total) * 1000) / 10;
  return {
    sampledMs: Math.round(total / 1000),
    byPackage: [...packages].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ package: name, selfMs: Math.round(us / 1000), percent: pct(us) })),
    topFunctions: [...functions.values()].sort((a, b) => b.us - a.us).slice(0, top).map((f) => ({ function: f.name, where: f.place, package: f.package, selfMs: Math.round(f.us / 1000), percent: pct(f.us) })),
  };
}

/** A frame's package and place; rxllm's frames mapped to their TypeScript source. */
function locate(frame) {
  const url = frame.url;
  if (!url) return { package: frame.functionName.startsWith('(') ? frame.functionName : 'V8 builtins / native', place: '' };
  if (url.startsWith('node:')) return { package: 'node internals', place: `${url}:${frame.lineNumber + 1}` };
  const file = url.startsWith('file:') ? fileURLToPath(url) : url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (pkg) return { package: pkg[1], place: `${pkg[1]}/${relative(join(file.slice(0, pkg.index), 'node_modules', pkg[1]), file)}:${frame.lineNumber + 1}` };
  if (file.startsWith(join(root, 'dist'))) {
    const map = sourceMapOf(file);
    const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry?.originalSource) {
      // the sources are relative to the map's folder: keep the path from the repository root
      const source = entry.originalSource.startsWith('file:') ? relative(root, fileURLToPath(entry.originalSource)) : entry.originalSource.replace(/^(\.\.\/)+/, '');
      return { package: 'rxllm', place: `${source}:${entry.originalLine + 1}` };
    }
    return { package: 'rxllm', place: `${relative(root, file)}:${frame.lineNumber + 1}` };
  }
  return { package: file.startsWith(join(root, 'bench')) ? 'bench harness' : 'other', place: `${relative(root, file)}:${frame.lineNumber + 1}` };
}

function sourceMapOf(file) {
  if (!maps.has(file)) maps.set(file, existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))) : undefined);
  return maps.get(file);
}

function print(summary, marks, file) {
  for (const row of marks.rows) console.log(`${row.id}: ${(row.chunksPerSecond / 1e6).toFixed(3)} M chunks/s (${row.ratioToRawLimit.toFixed(2)} × raw limit)`);
  console.log(`\nself time inside the timed runs: ${summary.sampledMs} ms sampled\n\nby package:`);
  for (const p of summary.byPackage) console.log(`  ${p.percent.toFixed(1).padStart(5)}%  ${String(p.selfMs).padStart(6)} ms  ${p.package}`);
  console.log('\ntop functions by self time:');
  for (const f of summary.topFunctions) console.log(`  ${f.percent.toFixed(1).padStart(5)}%  ${String(f.selfMs).padStart(6)} ms  ${f.function}  ${f.where}`);
  console.log(`\nprofile: ${file}`);
}
