import type { Logger } from 'pino';
import { loadConfig } from '../../src/config.js';
import type { InboundMessage } from '../../src/core/messages.js';
import { createLogger } from '../../src/observability/logger.js';
import { createServer, type Server } from '../../src/server.js';
import { FakePlatform } from '../fakes/platform-recorder.js';
import { FakeClock } from './fake-clock.js';
import { inbound } from './messages.js';
import { cleanPrefix, openTestRedis, randomPrefix, testRedisUrl } from './redis.js';

/** A server whose Telegram replies land in a FakePlatform, on real Redis or the memory store. */
export type PlatformServer = {
  server: Server;
  platform: FakePlatform;
  prefix: string;
  redis: boolean;
  /** Stops both and deletes the test's keys. */
  close(): Promise<void>;
};

export async function startPlatformServer(options: {
  redis: boolean;
  /** Short tag for the key prefix, e.g. "om". */
  tag: string;
  env?: Record<string, string>;
  logger?: Logger;
}): Promise<PlatformServer> {
  const platform = new FakePlatform();
  await platform.start();
  const prefix = randomPrefix(options.tag);
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    REDIS_PREFIX: prefix,
    HASH_SECRET: 'test-hash-secret-0123456789',
    ...(options.redis ? { REDIS_URL: testRedisUrl() } : {}),
    ...options.env,
  });
  const server = await createServer(config, options.logger ?? createLogger('silent'), {
    clock: new FakeClock(),
    adapters: [platform.adapter('telegram')],
    instanceId: prefix,
  });
  return {
    server,
    platform,
    prefix,
    redis: options.redis,
    async close() {
      await server.stop();
      await platform.stop();
      if (options.redis) {
        const r = openTestRedis();
        await cleanPrefix(r, prefix);
        r.disconnect();
      }
    },
  };
}

/** A Telegram user by id. */
export const telegramUser = (id: string) => ({ channel: 'telegram' as const, id });

/** Handles one message from `user` to the end (replies sent) and returns what was sent meanwhile. */
export async function sayTo(
  c: PlatformServer,
  user: string,
  text: string,
  extra: Partial<InboundMessage> = {},
): Promise<FakePlatform['sent']> {
  const before = c.platform.sent.length;
  await c.server.runtime.handleMessage(inbound(text, { user: telegramUser(user), ...extra }));
  await c.server.drain();
  return c.platform.sent.slice(before);
}
