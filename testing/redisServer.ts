import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's redis-server is (`apt-get install redis-server`); RXLLM_REDIS_SERVER overrides. */
export const REDIS_SERVER = process.env.RXLLM_REDIS_SERVER ?? '/usr/bin/redis-server';

/** Whether a redis-server can be started here. */
export const haveRedisServer = existsSync(REDIS_SERVER);

/** A running throwaway redis-server. */
export interface RedisServer {
  port: number;
  url: string;
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
 * Starts a throwaway redis-server (Debian's, at `REDIS_SERVER`) on a free port of 127.0.0.1, with
 * no persistence and its own empty directory, and resolves once it accepts connections: for tests
 * of `rxllm/redis` (no Docker needed). `stop()` ends it and removes its directory.
 *
 * @example
 * const redisServer = await startRedisServer();
 * const redis = new Redis(redisServer.port, '127.0.0.1');
 * // … persistStream(redis, id) / resumeStream$(redis, id) …
 * await redis.quit();
 * await redisServer.stop();
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rxllm-redis-'));
  const child: ChildProcess = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)));
    setTimeout(() => reject(new Error(`redis-server was not ready after 10 s:\n${output}`)), 10_000).unref();
  });
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
