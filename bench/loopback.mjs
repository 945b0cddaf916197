/**
 * Loopback: `streams` concurrent streams of `chunks` content chunks each from the mock server (in a
 * child process of its own, so the client's CPU and memory are the client's alone), once per
 * client library per round, each in a fresh client process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { rxllmTesting } from './lib/builtPackage.mjs';
import { median } from './lib/stats.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

/** A prompt and sentence count for which the mock model answers in exactly `chunks` content tokens. */
export function promptWithTokens(chunks) {
  for (let sentences = 6; sentences <= 30; sentences++) {
    for (let i = 0; i < 400; i++) {
      const prompt = `Benchmark stream ${i}`;
      const { text } = rxllmTesting.answerFor([{ role: 'user', content: prompt }], { sentences });
      if (rxllmTesting.tokenize(text).length === chunks) return { prompt, sentences };
    }
  }
  throw new Error(`bench: no prompt gives exactly ${chunks} chunks`);
}

async function startServer() {
  const child = spawn(process.execPath, [here('./loopbackServer.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const [line] = await once(lines, 'line');
  return { url: JSON.parse(line).url, stop: () => { child.stdin.end(); return once(child, 'exit'); } };
}

async function runClient(args) {
  const child = spawn(process.execPath, ['--expose-gc', here('./loopbackClient.mjs'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`bench: loopback client ${args.join(' ')} exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop());
}

export async function measureLoopback({ streams, chunks, runs, log = () => undefined }) {
  const { prompt, sentences } = promptWithTokens(chunks);
  const server = await startServer();
  const libs = ['rxllm', 'openai-node'];
  const results = Object.fromEntries(libs.map((lib) => [lib, []]));
  try {
    for (let round = 0; round < runs; round++) {
      for (const lib of libs) {
        results[lib].push(await runClient(['--lib', lib, '--url', server.url, '--streams', String(streams), '--prompt', prompt, '--sentences', String(sentences)]));
      }
      log(`  round ${round + 1}/${runs} done`);
    }
  } finally {
    await server.stop();
  }
  const rows = libs.map((lib) => {
    const r = results[lib];
    return {
      lib,
      wallMs: median(r.map((x) => x.wallMs)),
      cpuMs: median(r.map((x) => x.cpuMs)),
      rssPerStreamKiB: median(r.map((x) => x.rssPerStreamKiB)),
      maxOpen: median(r.map((x) => x.maxOpen)),
      chunksPerSecond: ((streams * chunks) / median(r.map((x) => x.wallMs))) * 1000,
      runs: r,
    };
  });
  // per round, the two clients ran back to back: the median of their per-round ratios
  const [ours, theirs] = [results.rxllm, results['openai-node']];
  const ratio = (field) => median(ours.map((x, i) => theirs[i][field] / x[field]));
  return { streams, chunks, prompt, sentences, rows, wallSpeedupVsOpenAINode: ratio('wallMs'), cpuSpeedupVsOpenAINode: ratio('cpuMs') };
}
