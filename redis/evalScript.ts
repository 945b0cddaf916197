import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Lua script and its SHA-1, the name Redis caches it under. */
export interface LuaScript {
  lua: string;
  sha: string;
}

/** Prepares a Lua script for `evalScript`. */
export function luaScript(lua: string): LuaScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/**
 * Runs a Lua script by its SHA-1 (`EVALSHA`), and sends the whole script (`EVAL`, which also caches
 * it) only when the server does not know it yet (`NOSCRIPT`: a new or restarted server). The client
 * is used as it is: no command is defined on it. Keys go through ioredis's `keyPrefix` like any key.
 *
 * @example
 * const hello = luaScript("return redis.call('SET', KEYS[1], ARGV[1])");
 * await evalScript(redis, hello, ['greeting'], ['hi']);
 */
export async function evalScript(redis: Redis, script: LuaScript, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!String((error as Error)?.message).includes('NOSCRIPT')) throw error;
    return redis.eval(script.lua, keys.length, ...keys, ...args);
  }
}
