/**
 * Child process: one stream from the latency server at `--url`, read by `--lib` (`raw`: node:http +
 * eventsource-parser + JSON.parse; `rxllm`: streamChat$ default; `openai-node`). For every content
 * chunk, the delay from the server's write (the timestamp in the chunk) to the moment the
 * subscriber / loop body sees it. Prints `{ lib, samples: [ms, …] }`.
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { createParser } from 'eventsource-parser';
import OpenAI from 'openai';
import { rxllm } from './lib/builtPackage.mjs';

const { values } = parseArgs({ options: { lib: { type: 'string' }, url: { type: 'string' } } });
const now = () => performance.timeOrigin + performance.now();
const messages = [{ role: 'user', content: 'latency' }];
const API_KEY = 'sk-bench-not-a-key';
const samples = [];
const record = (content) => {
  if (content) samples.push(now() - Number(content));
};

function raw() {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages });
    const req = http.request(`${values.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const utf8 = new TextDecoder('utf-8');
      const parser = createParser({
        onEvent(event) {
          if (event.data !== '[DONE]') record(JSON.parse(event.data).choices[0]?.delta?.content);
        },
      });
      res.on('data', (bytes) => parser.feed(utf8.decode(bytes, { stream: true })));
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function viaRxllm() {
  return new Promise((resolve, reject) => {
    rxllm.streamChat$('openai', messages, { baseURL: `${values.url}/v1`, apiKey: API_KEY }).subscribe({ next: (chunk) => record(chunk.content), error: reject, complete: resolve });
  });
}

async function viaOpenAINode() {
  const client = new OpenAI({ apiKey: API_KEY, baseURL: `${values.url}/v1`, maxRetries: 0 });
  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
  for await (const chunk of stream) record(chunk.choices[0]?.delta?.content);
}

const run = { raw, rxllm: viaRxllm, 'openai-node': viaOpenAINode }[values.lib];
if (!run) throw new Error(`unknown --lib ${values.lib}`);
await run();
process.stdout.write(`${JSON.stringify({ lib: values.lib, samples })}\n`);
process.exit(0);
