/**
 * Latency added: for each client, one paced stream from the bench's latency server (a child
 * process), the delay from a chunk's write on the server's socket to its delivery to the
 * subscriber; p50 and p99 per client, and the difference to the raw reader's (node:http +
 * eventsource-parser), which is what the library itself adds.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { median, percentile } from './lib/stats.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

async function runClient(lib, url) {
  const child = spawn(process.execPath, [here('./latencyClient.mjs'), '--lib', lib, '--url', url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`bench: latency client ${lib} exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()).samples;
}

export async function measureLatency({ chunks, intervalMs, runs, log = () => undefined }) {
  const server = spawn(process.execPath, [here('./latencyServer.mjs'), '--chunks', String(chunks), '--interval-ms', String(intervalMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = await once(createInterface({ input: server.stdout }), 'line');
  const { url } = JSON.parse(line);
  const libs = ['raw', 'rxllm', 'openai-node'];
  const per = Object.fromEntries(libs.map((lib) => [lib, { p50: [], p99: [] }]));
  try {
    for (let round = 0; round < runs; round++) {
      for (const lib of libs) {
        const samples = await runClient(lib, url);
        if (samples.length !== chunks) throw new Error(`bench: latency client ${lib} saw ${samples.length} chunks, expected ${chunks}`);
        // the first 50 chunks warm the client up
        const warm = samples.slice(50);
        per[lib].p50.push(percentile(warm, 50));
        per[lib].p99.push(percentile(warm, 99));
      }
      log(`  round ${round + 1}/${runs} done`);
    }
  } finally {
    server.stdin.end();
    await once(server, 'exit');
  }
  const rows = libs.map((lib) => ({ lib, p50Ms: median(per[lib].p50), p99Ms: median(per[lib].p99) }));
  const raw = rows[0];
  for (const row of rows) {
    row.addedP50Ms = row.p50Ms - raw.p50Ms;
    row.addedP99Ms = row.p99Ms - raw.p99Ms;
  }
  return { chunks, intervalMs, runs, rows };
}
