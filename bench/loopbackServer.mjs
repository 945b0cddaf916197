/**
 * Child process: the mock LLM server of the built package (`rxllm/testing`) on loopback. Prints
 * `{ "url": … }` on one line when it listens; stops when its stdin closes.
 */
import { rxllmTesting } from './lib/builtPackage.mjs';

const server = await rxllmTesting.startMockServer({ host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.stdin.resume();
process.stdin.on('end', () => server.close().then(() => process.exit(0)));
