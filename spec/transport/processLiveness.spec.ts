import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterHead, startBadServer, type BadServer } from '../support/badServer';

/** The built package (`npm run build`; `npm test` builds first): the child is a plain Node process, as a user's script is. */
const DIST = resolve(__dirname, '../../dist/index.cjs');

/** A Node script that only subscribes to one stream and prints how it ended; Node decides when it exits. */
const SCRIPT = `
const { streamChat$ } = require(${JSON.stringify(DIST)});
const [baseURL, timeout] = process.argv.slice(1);
const options = { baseURL, apiKey: 'sk-child-secret' };
if (timeout !== undefined) options.timeout = JSON.parse(timeout);
streamChat$('openai', [{ role: 'user', content: 'hello' }], options).subscribe({
  next: () => console.log('next'),
  error: (e) => console.log(\`error \${e.name}\${e.kind ? \` \${e.kind}\` : ''}: \${e.message}\`),
  complete: () => console.log('complete'),
});
`;

function child(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(https?|all|no)_proxy$/i.test(name)));
  return new Promise((done) => {
    execFile(process.execPath, ['-e', SCRIPT, ...args], { env: { ...clean, ...env }, timeout: 20_000 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

describe('a Node process that only waits for a stream', () => {
  let silent: BadServer;
  beforeAll(async () => {
    if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run npm run build first`);
    // accepts, reads the request and never answers
    silent = await startBadServer((socket, server) => afterHead(socket, server, () => undefined));
  });
  afterAll(() => silent.close());

  test('does not exit silently: against a server that never answers it prints the StreamTimeoutError (kind first-chunk)', async () => {
    const { stdout, stderr } = await child([`${silent.url}/v1`, JSON.stringify({ firstChunkMs: 300 })]);
    expect(stderr).toBe('');
    expect(stdout).toBe('error StreamTimeoutError first-chunk: openai: first-chunk timeout after 300 ms\n');
  });

  test('with no limit at all (timeout: false), a proxy that drops the CONNECT still ends the stream with an error, not a silent exit 0', async () => {
    const proxy = await startBadServer((socket, server) => afterHead(socket, server, () => socket.end()));
    try {
      const { stdout, stderr } = await child(['https://rxllm-proxy-test.invalid/v1', 'false'], { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}` });
      expect(stderr).toBe('');
      expect(stdout).toMatch(/^error StreamInterruptedError: openai: connection failed before the response body \(ECONNRESET\): the proxy 127\.0\.0\.1:\d+ closed the connection before answering CONNECT\n$/);
      expect(proxy.heads).toEqual([expect.stringMatching(/^CONNECT rxllm-proxy-test\.invalid:443 /)]);
    } finally {
      await proxy.close();
    }
  });
});
