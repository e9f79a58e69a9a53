import { type Config, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/observability/logger.js';
import type { Clock } from '../../src/ports/clock.js';
import { createServer, type Server } from '../../src/server.js';
import { cleanPrefix, openTestRedis, randomPrefix, testRedisUrl } from './redis.js';

export interface TestServer {
  server: Server;
  config: Config;
  prefix: string;
  close(): Promise<void>;
}

/**
 * A whole server (content, engine, channels, workers not started) on the memory store or on the
 * test Redis under a fresh key prefix, which is deleted on close.
 */
export async function startTestServer(
  options: {
    redis?: boolean;
    env?: Record<string, string>;
    clock?: Clock;
    prefix?: string;
    cleanup?: boolean;
  } = {},
): Promise<TestServer> {
  const prefix = options.prefix ?? randomPrefix('srv');
  const env: Record<string, string> = {
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    REDIS_PREFIX: prefix,
    HASH_SECRET: 'test-hash-secret-0123456789',
    ...(options.redis ? { REDIS_URL: testRedisUrl() } : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  const server = await createServer(config, createLogger(config.logLevel), { clock: options.clock });
  return {
    server,
    config,
    prefix,
    async close() {
      await server.stop();
      if (options.redis && options.cleanup !== false) {
        const redis = openTestRedis();
        await cleanPrefix(redis, prefix);
        redis.disconnect();
      }
    },
  };
}

/** Waits until `check` returns a value (polling), failing after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
