import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's redis-server is (`apt-get install redis-server`); RXLLM_REDIS_SERVER overrides. */
export const REDIS_SERVER = process.env.RXLLM_REDIS_SERVER ?? '/usr/bin/redis-server';

/** Whether a redis-server can be started here. */
export const haveRedisServer = existsSync(REDIS_SERVER);

/** A running throwaway redis-server: like `MockServer`, its address and `close()`. */
export interface RedisServer {
  /** e.g. `redis://127.0.0.1:40123`, for `new Redis(url)` */
  url: string;
  port: number;
  /** ends the server and removes its directory; resolves once it is gone (at once when it already is) */
  close(): Promise<void>;
  /** @deprecated the former name of `close()` */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The shell that runs redis-server for `startRedisServer`: it leaves a watcher on its standard input
 * (the parent's pipe), then becomes redis-server itself (`exec`: the same process, the child the
 * parent sees). When the pipe ends — the parent closed it, or the parent died in any way, an
 * uncaught error, `process.exit`, a signal or SIGKILL — the watcher ends the server and removes
 * its directory, so a crashed test or a killed jest worker leaves no redis-server behind.
 * `$1` is the directory, the rest the command.
 */
const WATCHED = `dir=$1; shift
exec 3<&0
(
  while read -r _; do :; done
  kill "$$" 2>/dev/null
  # until it is gone, or dead and not yet reaped (its new parent, when the old one died, may be slow to)
  while kill -0 "$$" 2>/dev/null; do
    case $(cat "/proc/$$/stat" 2>/dev/null) in *") Z "*) break ;; esac
    sleep 0.05
  done
  rm -rf "$dir"
) <&3 >/dev/null 2>&1 &
exec "$@" 3<&-`;

/**
 * Starts a throwaway redis-server (Debian's, at `REDIS_SERVER`) on a free port of 127.0.0.1, with
 * no persistence and its own empty directory, and resolves once it accepts connections: for tests
 * of `rxllm/redis` (no Docker needed). `close()` ends it and removes its directory. It never
 * outlives the process that started it: it ends when that process exits or dies, crashed or killed,
 * without `close()`.
 *
 * @example
 * const redisServer = await startRedisServer();
 * const redis = new Redis(redisServer.url);
 * // … persistStream(redis, id) / resumeStream$(redis, id) …
 * await redis.quit();
 * await redisServer.close();
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rxllm-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'no'];
  const child: ChildProcess = spawn('/bin/sh', ['-c', WATCHED, 'rxllm-redis', dir, REDIS_SERVER, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // once the server is gone: its directory too, and the watcher's pipe closed (the watcher then ends)
  const gone = exited.then(() => {
    child.stdin!.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (data: Buffer) => {
        output += data.toString();
        if (output.includes('Ready to accept connections')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)));
      setTimeout(() => reject(new Error(`redis-server was not ready after 10 s:\n${output}`)), 10_000).unref();
    });
  } catch (error) {
    if (child.pid === undefined) rmSync(dir, { recursive: true, force: true }); // never started
    else {
      child.kill('SIGKILL');
      await gone;
    }
    throw error;
  }
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  child.stdout!.resume();
  child.stderr!.resume();
  const close = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return gone;
  };
  return { url: `redis://127.0.0.1:${port}`, port, close, stop: close };
}
