/**
 * Child process: `--streams` concurrent chat streams against the mock server at `--url`, with rxllm
 * (`--lib rxllm`) or openai-node (`--lib openai-node`), each checked against the expected text.
 * Prints one JSON line: wall time, CPU time of this process, RSS before and at peak.
 *
 * node bench/loopbackClient.mjs --lib rxllm --url http://127.0.0.1:PORT --streams 1000 --prompt "…" --sentences 12
 */
import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import { rxllm, rxllmTesting } from './lib/builtPackage.mjs';

const { values } = parseArgs({
  options: {
    lib: { type: 'string' },
    url: { type: 'string' },
    streams: { type: 'string', default: '1000' },
    prompt: { type: 'string' },
    sentences: { type: 'string' },
  },
});
const streams = Number(values.streams);
const messages = [{ role: 'user', content: values.prompt }];
const headers = { 'x-mock-sentences': values.sentences };
const expected = rxllmTesting.answerFor(messages, { sentences: Number(values.sentences) }).text;
const API_KEY = 'sk-bench-not-a-key';

let open = 0;
let maxOpen = 0;

const rxllmStream = () =>
  new Promise((resolve, reject) => {
    open++;
    const parts = [];
    rxllm.streamChat$('openai', messages, { baseURL: `${values.url}/v1`, apiKey: API_KEY, headers }).subscribe({
      next(chunk) {
        if (chunk.content) parts.push(chunk.content);
      },
      error: reject,
      complete: () => {
        open--;
        resolve(parts.join(''));
      },
    });
  });

const openai = new OpenAI({ apiKey: API_KEY, baseURL: `${values.url}/v1`, defaultHeaders: headers, maxRetries: 0, timeout: 120_000 });
const openaiStream = async () => {
  open++;
  const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } });
  const parts = [];
  for await (const chunk of stream) {
    const content = chunk.choices[0]?.delta?.content;
    if (content) parts.push(content);
  }
  open--;
  return parts.join('');
};

const one = values.lib === 'rxllm' ? rxllmStream : values.lib === 'openai-node' ? openaiStream : undefined;
if (!one) throw new Error(`unknown --lib ${values.lib}`);

async function many(n) {
  const texts = await Promise.all(Array.from({ length: n }, () => one()));
  for (const text of texts) if (text !== expected) throw new Error(`${values.lib}: a stream assembled a different text (${text.length} chars, expected ${expected.length})`);
}

// warm-up (JIT, connection pools), then a clean baseline
await many(20);
globalThis.gc?.();
await new Promise((r) => setTimeout(r, 50));
const rssBefore = process.memoryUsage.rss();
let rssSampled = rssBefore;
const sampler = setInterval(() => {
  rssSampled = Math.max(rssSampled, process.memoryUsage.rss());
  maxOpen = Math.max(maxOpen, open);
}, 1);

maxOpen = 0;
const cpuBefore = process.cpuUsage();
const start = performance.now();
await many(streams);
const wallMs = performance.now() - start;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
const rssPeak = Math.max(rssSampled, process.resourceUsage().maxRSS * 1024);
process.stdout.write(
  `${JSON.stringify({ lib: values.lib, streams, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, rssBefore, rssPeak, rssPerStreamKiB: (rssPeak - rssBefore) / 1024 / streams, maxOpen })}\n`,
);
process.exit(0);
