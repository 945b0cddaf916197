import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { answerFor, startMockServer, type MockServer } from '../../testing';

const CLI = resolve(__dirname, '../../dist/cli.cjs');

const clean = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$|^RXLLM_/.test(k)));

/** Runs the built command line with no provider keys in its environment. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...clean(), RXLLM_MOCK_DELAY_MS: '0', RXLLM_LOCAL_PROBE: 'off', ...env } }, (error, stdout, stderr) =>
      done({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

/**
 * Runs a bash pipeline whose first command is the built command line (`rxllm` in `script`), the mock
 * server pacing its answer so that the reader can go away mid-answer; the exit status is the
 * command line's (`PIPESTATUS[0]`).
 */
function pipeline(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const env = { ...clean(), NODE: process.execPath, CLI, RXLLM_MOCK_DELAY_MS: '20', RXLLM_LOCAL_PROBE: 'off' };
    script = `rxllm() { "$NODE" "$CLI" "$@"; }; ${script}`;
    execFile('bash', ['-c', `${script}; exit \${PIPESTATUS[0]}`], { env }, (error, stdout, stderr) => done({ code: error ? (error.code as number) : 0, stdout, stderr }));
  });
}

describe('the rxllm command line', () => {
  test('with no provider configured it streams from the embedded mock server and says so', async () => {
    const prompt = 'Why do chat UIs stream?';
    const { code, stdout, stderr } = await cli(['chat', prompt]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${answerFor([{ role: 'user', content: prompt }]).text}\n`);
    expect(stderr).toMatch(/no provider configured; streaming from the embedded mock server at http:\/\/127\.0\.0\.1:\d+/);
    expect(stderr).toMatch(/✓ completed · openai\/gpt-4o-mini · \d+ chunks · .* · TTFT \d+ ms · \d+ tokens · [\d.]+ tok\/s/);
  });

  test('--mock (what npm start uses) streams from the mock server even when a key is set', async () => {
    const { code, stdout, stderr } = await cli(['chat', '--mock', 'Demo'], { OPENAI_API_KEY: 'sk-must-not-be-used' });
    expect(code).toBe(0);
    expect(stderr).toMatch(/--mock given; streaming from the embedded mock server/);
    expect(stdout).toBe(`${answerFor([{ role: 'user', content: 'Demo' }]).text}\n`);
  });

  test.each([
    ['openai-responses', 'gpt-5-mini'],
    ['azure', 'gpt-4o-mini'],
    ['azure-responses', 'gpt-5-mini'],
  ])('-p %s --mock streams that wire format from the mock server', async (id, model) => {
    const { code, stdout, stderr } = await cli(['chat', '-p', id, '--mock', 'Which wire?']);
    expect(code).toBe(0);
    expect(stderr).toContain(`(${id} wire format)`);
    expect(stderr).toMatch(new RegExp(`✓ completed · ${id}/${model} · `));
    expect(stdout).toBe(`${answerFor([{ role: 'user', content: 'Which wire?' }]).text}\n`);
  });

  test('-p azure without --base-url is a ConfigError that shows both URL forms (Azure has no default)', async () => {
    const { code, stderr } = await cli(['chat', '-p', 'azure', 'x'], { AZURE_OPENAI_API_KEY: 'azure-cli-secret' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/ConfigError: .*baseURL.*\/openai\/v1.*deployment and apiVersion/);
    expect(stderr).not.toContain('azure-cli-secret');
  });

  test('a system message and a model are passed on', async () => {
    const { code, stdout } = await cli(['chat', '--system', 'Be brief.', '-m', 'tiny', 'Hi']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${answerFor([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]).text}\n`);
  });

  describe('against a server given by --base-url', () => {
    let server: MockServer;
    beforeAll(async () => (server = await startMockServer()));
    afterAll(() => server.close());

    test('uses the configured provider, model and URL', async () => {
      const { code, stdout, stderr } = await cli(['chat', '-p', 'openai', '-m', 'gpt-test', '--base-url', `${server.url}/v1`, 'Hello there'], {
        OPENAI_API_KEY: 'sk-cli-test-key',
      });
      expect(code).toBe(0);
      expect(stdout).toBe(`${answerFor([{ role: 'user', content: 'Hello there' }]).text}\n`);
      expect(stderr).not.toMatch(/mock server/);
      const request = server.requests[server.requests.length - 1];
      expect(request.body).toMatchObject({ model: 'gpt-test' });
      expect(request.headers.authorization).toBe('Bearer sk-cli-test-key');
    });

    test('-p azure sends the key from AZURE_OPENAI_API_KEY as api-key, the model as the deployment of the v1 form', async () => {
      const { code, stdout } = await cli(['chat', '-p', 'azure', '-m', 'my-deployment', '--base-url', `${server.url}/openai/v1`, 'Hello Azure'], {
        AZURE_OPENAI_API_KEY: 'azure-cli-test-key',
      });
      expect(code).toBe(0);
      expect(stdout).toBe(`${answerFor([{ role: 'user', content: 'Hello Azure' }]).text}\n`);
      const request = server.requests[server.requests.length - 1];
      expect(request.path).toBe('/openai/v1/chat/completions');
      expect(request.body).toMatchObject({ model: 'my-deployment' });
      expect(request.headers['api-key']).toBe('azure-cli-test-key');
      expect(request.headers.authorization).toBeUndefined();
    });

    test('a stream error exits 1 with the typed error, and never prints the key', async () => {
      const { code, stderr } = await cli(['chat', '-p', 'openai', '--base-url', `${server.url}/nowhere`, 'x'], { OPENAI_API_KEY: 'sk-cli-secret-key' });
      expect(code).toBe(1);
      expect(stderr).toMatch(/rxllm: HttpError: openai answered HTTP 404/);
      expect(stderr).not.toContain('sk-cli-secret-key');
    });
  });

  test('a configured provider without its key is a clear error', async () => {
    const { code, stderr } = await cli(['chat', '-p', 'openai', 'x']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/ConfigError: .*apiKey: expected an API key \(pass apiKey or set OPENAI_API_KEY\)/);
  });

  test.each([
    [['chat'], /no prompt given/],
    [['talk', 'x'], /unknown command 'talk'/],
    [[], /no command given/],
    [['chat', '--bogus', 'x'], /Unknown option '--bogus'/],
    [['chat', '-p', 'nope', 'x'], /unknown provider 'nope'/],
  ])('usage error %j exits 2', async (args, message) => {
    const { code, stderr } = await cli(args as string[]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  describe('the options of a real session', () => {
    let server: MockServer;
    beforeAll(async () => (server = await startMockServer()));
    afterAll(() => server.close());

    test('picks the provider whose key is set, and says why', async () => {
      const { code, stdout, stderr } = await cli(['chat', '--base-url', `${server.url}/v1`, 'Which provider?'], { ANTHROPIC_API_KEY: 'sk-ant-cli' });
      expect(code).toBe(0);
      expect(stderr).toMatch(/rxllm: using anthropic \(ANTHROPIC_API_KEY is set\)/);
      expect(server.requests[server.requests.length - 1].path).toBe('/v1/messages');
      expect(stdout.trim().length).toBeGreaterThan(20);
    });

    test('--json prints one chunk per line', async () => {
      const { code, stdout } = await cli(['chat', '--json', 'json please']);
      expect(code).toBe(0);
      const chunks = stdout.trim().split('\n').map((line) => JSON.parse(line));
      expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerFor([{ role: 'user', content: 'json please' }]).text);
      expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    });

    test('--metrics prints metrics lines on a stderr that is not a terminal; --buffer coalesces', async () => {
      const { code, stdout, stderr } = await cli(['chat', '--metrics', '--buffer', '10', '--json', 'metrics please'], { RXLLM_MOCK_DELAY_MS: '30' });
      expect(code).toBe(0);
      expect(stderr).toMatch(/metrics: \d+ chunks · TTFT \d+ ms/);
      const chunks = stdout.trim().split('\n');
      const tokens = answerFor([{ role: 'user', content: 'metrics please' }]).text.match(/\s*\S+/g)!.length;
      expect(chunks.length).toBe(Math.ceil((tokens + 2) / 10));
    });

    test('--recover continues a stream that breaks, --timeout bounds a stall', async () => {
      server.queueFaults({ kind: 'reset', afterBytes: 1200 }, null);
      const recovered = await cli(['chat', '-p', 'openai', '--base-url', `${server.url}/v1`, '--recover', '--strategy', 'sentence', 'Break and recover'], { OPENAI_API_KEY: 'sk-x' });
      server.clearFaults();
      expect(recovered.code).toBe(0);
      expect(recovered.stdout).toBe(`${answerFor([{ role: 'user', content: 'Break and recover' }]).text}\n`);

      server.queueFaults({ kind: 'stall', afterBytes: 300, ms: 3000 });
      const stalled = await cli(['chat', '-p', 'openai', '--base-url', `${server.url}/v1`, '--timeout', '200', 'Stall'], { OPENAI_API_KEY: 'sk-x' });
      server.clearFaults();
      expect(stalled.code).toBe(1);
      expect(stalled.stderr).toMatch(/StreamTimeoutError: openai: idle timeout after 200 ms/);
    });
  });

  test('--timeout off is accepted (no time limit) and the answer completes', async () => {
    const off = await cli(['chat', '--timeout', 'off', 'No limits']);
    expect(off.code).toBe(0);
    expect(off.stdout).toBe(`${answerFor([{ role: 'user', content: 'No limits' }]).text}\n`);
  });

  test.each([
    [['--buffer', 'abc'], "--buffer needs a whole number of 1 or more, got 'abc'"],
    [['--strategy', 'bogus'], "--strategy needs one of exact, sentence, paragraph, got 'bogus'"],
    [['--timeout', 'soon'], "--timeout needs a number of milliseconds above 0, or off, got 'soon'"],
    [['--max-tokens', 'many'], "--max-tokens needs a whole number of 1 or more, got 'many'"],
    [['--temperature', '3'], "--temperature needs a number from 0 to 2, got '3'"],
    [['--base-url', 'localhost:8080'], "--base-url needs an http:// or https:// URL, got 'localhost:8080'"],
    [['--mock', '--base-url', 'http://127.0.0.1:8080/v1'], '--base-url and --mock do not go together'],
    [['--base-url', 'http://127.0.0.1:8080/v1'], '--base-url needs a provider: name one with -p (or RXLLM_PROVIDER), or set its API key'],
    [['--fault', 'reset'], '--fault needs --mock'],
    [['--mock', '--fault', 'explode'], "--fault takes reset, reset@<bytes> or status@<code>, got 'explode'"],
  ])('%j is a usage error (exit 2) in plain words, told before any server starts', async (flags, message) => {
    const { code, stdout, stderr } = await cli(['chat', ...flags, 'x']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    // one line that names the flag: no usage text to scroll it away, no server started, no stack trace
    const [line, ...rest] = stderr.split('\n');
    expect(line.startsWith(`rxllm: ${message}`)).toBe(true);
    expect(rest).toEqual(['']);
  });

  describe('when the reader of stdout goes away (rxllm chat … | head -c 40)', () => {
    const prompt = 'A long answer for a short reader';
    const text = answerFor([{ role: 'user', content: prompt }]).text;

    test('it stops quietly: no EPIPE, no stack trace, no summary; exit status 141 as cat or yes would', async () => {
      const { code, stdout, stderr } = await pipeline(`rxllm chat --mock ${JSON.stringify(prompt)} | head -c 40`);
      expect(stdout).toBe(Buffer.from(text).subarray(0, 40).toString());
      expect(code).toBe(141);
      expect(stderr).toMatch(/^rxllm: --mock given; streaming from the embedded mock server at \S+ \(openai wire format\)\n$/);
    });

    test('also when stderr goes into the same pipe, and with --json', async () => {
      const mixed = await pipeline(`rxllm chat --mock ${JSON.stringify(prompt)} 2>&1 | head -c 40`);
      expect(mixed.code).toBe(141);
      expect(mixed.stdout).toBe('rxllm: --mock given; streaming from the ');
      expect(mixed.stderr).toBe('');
      const json = await pipeline(`rxllm chat --mock --json ${JSON.stringify(prompt)} | head -n 2`);
      expect(json.code).toBe(141);
      expect(json.stdout.split('\n').slice(0, 2).map((line) => JSON.parse(line).seq)).toEqual([0, 1]);
      expect(json.stderr).not.toMatch(/EPIPE|Error|✓/);
    });
  });

  describe('--fault with --mock breaks the first answer, to show recovery at work', () => {
    const prompt = 'Break and go on';
    const text = answerFor([{ role: 'user', content: prompt }]).text;

    test('reset with --recover: the whole answer, and the summary counts 1 recovery', async () => {
      const { code, stdout, stderr } = await cli(['chat', '--mock', '--fault', 'reset', '--recover', prompt]);
      expect(code).toBe(0);
      expect(stdout).toBe(`${text}\n`);
      expect(stderr).toContain('rxllm: --fault reset: the mock server breaks its first answer\n');
      expect(stderr).toMatch(/✓ completed · openai\/gpt-4o-mini · .* · 1 recovery\n$/);
    });

    test('reset@<bytes> with --recover, on another wire format', async () => {
      const { code, stdout, stderr } = await cli(['chat', '-p', 'anthropic', '--mock', '--fault', 'reset@700', '--recover', prompt]);
      expect(code).toBe(0);
      expect(stdout).toBe(`${text}\n`);
      expect(stderr).toMatch(/✓ completed · anthropic\/\S+ · .* · 1 recovery\n$/);
    });

    test('status@503 with --recover: the request is sent again, and the summary counts 1 retry', async () => {
      const { code, stdout, stderr } = await cli(['chat', '--mock', '--fault', 'status@503', '--recover', prompt]);
      expect(code).toBe(0);
      expect(stdout).toBe(`${text}\n`);
      expect(stderr).toContain('rxllm: --fault status@503: the mock server refuses its first request\n');
      expect(stderr).toMatch(/✓ completed · .* · 1 retry\n$/);
    });

    test('without --recover the stream fails where it broke (exit 1), and the hint says how to go on', async () => {
      const { code, stdout, stderr } = await cli(['chat', '--mock', '--fault', 'reset', prompt]);
      expect(code).toBe(1);
      expect(text.startsWith(stdout.trimEnd())).toBe(true);
      expect(stdout.length).toBeLessThan(text.length);
      expect(stderr).toContain('(add --recover to see recovery at work)');
      expect(stderr).toMatch(/rxllm: StreamInterruptedError: openai: connection failed/);
      expect(stderr).toMatch(/✗ error · /);
    });
  });

  test('--help prints the usage and exits 0', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: rxllm chat/);
  });
});
