import type { Redis } from 'ioredis';
import type { RedisClient } from '../../src/adapters/redis/redis-client.js';

export interface ScannedKey {
  key: string;
  type: string;
  /** Milliseconds to live; -1 when the key never expires. */
  pttl: number;
  /** Everything stored, flattened to one string (members, fields, values, stream entries). */
  content: string;
}

/** Every key under `prefix` with its type, TTL and content (SCAN, not KEYS). */
export async function scanPrefix(client: RedisClient, prefix: string): Promise<ScannedKey[]> {
  const redis = client as Redis;
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const out: ScannedKey[] = [];
  for (const key of [...new Set(keys)].sort()) {
    const type = await redis.type(key);
    if (type === 'none') continue;
    let content: unknown;
    if (type === 'string') content = await redis.get(key);
    else if (type === 'hash') content = await redis.hgetall(key);
    else if (type === 'list') content = await redis.lrange(key, 0, -1);
    else if (type === 'set') content = await redis.smembers(key);
    else if (type === 'zset') content = await redis.zrange(key, '0', '-1', 'WITHSCORES');
    else if (type === 'stream') content = await redis.xrange(key, '-', '+');
    else content = `(${type})`;
    out.push({ key, type, pttl: await redis.pttl(key), content: JSON.stringify(content) });
  }
  return out;
}

/** Keys whose name or content holds any of `needles`. */
export function keysMentioning(scanned: ScannedKey[], needles: string[]): ScannedKey[] {
  return scanned.filter((k) => needles.some((n) => n && (k.key.includes(n) || k.content.includes(n))));
}
