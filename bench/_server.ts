import { randomBytes } from 'node:crypto';
import { connectRedis, type RedisClient } from '../src/adapters/redis/redis-client.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/observability/logger.js';
import { createServer, type Server } from '../src/server.js';

/** Redis for benchmarks: REDIS_URL when set (read through the config module), else the local default. */
export function benchRedisUrl(): string {
  return loadConfig().redis?.url ?? 'redis://127.0.0.1:6379';
}

/** A full server on its own key prefix, listening on a free port; `close` deletes its keys. */
export async function startBenchServer(env: Record<string, string> = {}): Promise<{
  server: Server;
  url: string;
  prefix: string;
  close: () => Promise<void>;
}> {
  const prefix = `bench:${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    REDIS_URL: benchRedisUrl(),
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    HASH_SECRET: 'bench-hash-secret-0123456789',
    WEBCHAT_MESSAGES_PER_MINUTE: '100000000',
    // The load comes from one loopback address: per-address limits would measure the 429 path.
    RATE_LIMIT_WEBCHAT: '100000000',
    RATE_LIMIT_ASSESS: '100000000',
    RATE_LIMIT_OPERATOR: '100000000',
    RATE_LIMIT_ZALO: '100000000',
    ...env,
  });
  const server = await createServer(config, createLogger('silent'));
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    prefix,
    async close() {
      await server.stop();
      const redis = connectRedis(benchRedisUrl());
      await deletePrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

/** Deletes every key under `prefix` with SCAN (a benchmark cleans up what it wrote). */
export async function deletePrefix(redis: RedisClient, prefix: string): Promise<void> {
  const client = redis as import('ioredis').Redis;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}
