/**
 * Child process: a tiny OpenAI-style SSE server of the bench's own (the mock server writes no
 * timestamps). Every request gets `--chunks` content chunks, one every `--interval-ms`, each written
 * on its own and carrying in its `content` the time it was handed to the socket
 * (`performance.timeOrigin + performance.now()`, ms since the epoch with µs precision; both
 * processes read the same system clock). Prints `{ "url": … }` when it listens; stops when stdin closes.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { chunks: { type: 'string', default: '2000' }, 'interval-ms': { type: 'string', default: '1' } } });
const chunks = Number(values.chunks);
const intervalMs = Number(values['interval-ms']);
const now = () => performance.timeOrigin + performance.now();
const head = '{"id":"chatcmpl-latency","object":"chat.completion.chunk","created":1750000000,"model":"gpt-4o-mini","system_fingerprint":"fp_bench","choices":[';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.write(`data: ${head}{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`);
    let sent = 0;
    const tick = () => {
      if (res.destroyed) return;
      if (sent < chunks) {
        sent++;
        res.write(`data: ${head}{"index":0,"delta":{"content":"${now().toFixed(4)}"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`);
        setTimeout(tick, intervalMs);
        return;
      }
      res.write(`data: ${head}{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}\n\n`);
      res.end('data: [DONE]\n\n');
    };
    setTimeout(tick, intervalMs);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`));
process.stdin.resume();
process.stdin.on('end', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
