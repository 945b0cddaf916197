import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startMockServer, startRedisServer } from '../../testing';

/** What a test server of rxllm/testing gives, whichever it is. */
interface TestServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Whether something accepts connections on 127.0.0.1:port. */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** A process's parent and state (`R`, `S`, `Z`, …) from /proc, `undefined` once it is gone. */
function processStat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(ppid), state };
  } catch {
    return undefined;
  }
}

/** Whether a process runs (a zombie, dead but not yet reaped, does not). */
const running = (pid: number) => {
  const state = processStat(pid)?.state;
  return state !== undefined && state !== 'Z' && state !== 'X';
};

/** The redis-server that `parent` started on `port`: its pid and its directory (redis-server works in its `--dir`). */
function redisChildOf(parent: number, port: number): { pid: number; dir: string } | undefined {
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    const pid = Number(name);
    if (processStat(pid)?.ppid !== parent) continue;
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (command.includes('redis-server') && command.includes(`:${port}`)) return { pid, dir: readlinkSync(`/proc/${pid}/cwd`) };
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** Polls `check` every 20 ms until it holds, for at most `ms`; resolves with its last answer. */
async function eventually(check: () => boolean | Promise<boolean>, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('startRedisServer and startMockServer', () => {
  test('give the same handle, url, port and close(), and close() resolves once the server is gone', async () => {
    const servers: TestServer[] = await Promise.all([startRedisServer(), startMockServer()]);
    const [redis, mock] = servers;
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(mock.url).toBe(`http://127.0.0.1:${mock.port}`);
    for (const server of servers) expect(await accepts(server.port)).toBe(true);
    const closing = servers.map((server) => server.close());
    for (const promise of closing) expect(promise).toBeInstanceOf(Promise);
    await Promise.all(closing);
    for (const server of servers) expect(await accepts(server.port)).toBe(false);
    // closing again is harmless
    await Promise.all(servers.map((server) => server.close()));
  });

  test("the redis server's former stop() still ends it", async () => {
    const redis = await startRedisServer();
    await redis.stop();
    expect(await accepts(redis.port)).toBe(false);
  });
});

describe('a redis-server never outlives the process that started it', () => {
  test.each([
    ['exit', 'calls process.exit(1)'],
    ['throw', 'dies of an uncaught error'],
    ['wait', 'is killed with SIGKILL'],
  ])('a process that starts one and %s (%s) leaves no redis-server and no directory behind', async (how) => {
    const child = spawn(process.execPath, [join(__dirname, 'processes', 'startsRedisAndDies.cjs'), how], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (data) => (stderr += data));
    const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
    const [line] = (await Promise.race([
      new Promise((resolve) => createInterface({ input: child.stdout }).once('line', (l) => resolve([l]))),
      exited.then((code) => Promise.reject(new Error(`startsRedisAndDies.cjs exited (${code}) before its server was ready: ${stderr}`))),
    ])) as [string];
    const { port } = JSON.parse(line) as { port: number };

    // the server runs, a child of that process
    const redis = redisChildOf(child.pid!, port);
    expect(redis).toBeDefined();
    expect(running(redis!.pid)).toBe(true);
    expect(existsSync(redis!.dir)).toBe(true);
    expect(await accepts(port)).toBe(true);

    if (how === 'wait') child.kill('SIGKILL');
    else child.stdin.write('die\n');
    expect(await exited).toBe(how === 'wait' ? 'SIGKILL' : 1);
    if (how === 'throw') expect(stderr).toContain('Error: a test that crashed');

    expect(await eventually(() => !running(redis!.pid))).toBe(true);
    expect(await accepts(port)).toBe(false);
    expect(await eventually(() => !existsSync(redis!.dir))).toBe(true);
  });
});
