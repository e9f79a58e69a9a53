import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client.js';

/** A Lua script and its SHA1, so that it is sent by digest (EVALSHA) rather than as text each time. */
export interface RedisScript {
  readonly lua: string;
  readonly sha: string;
}

export function redisScript(lua: string): RedisScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/**
 * Runs `script` by its digest; when Redis does not know it (first call, a restart, SCRIPT FLUSH)
 * sends the text once, which also caches it. On a Cluster the first key picks the node.
 */
export async function runScript(
  redis: RedisClient,
  script: RedisScript,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!String((error as Error)?.message).includes('NOSCRIPT')) throw error;
    return redis.eval(script.lua, keys.length, ...keys, ...args);
  }
}
