import { loadConfig } from '../../src/config.js';
import { type Container, createContainer } from '../../src/container.js';
import { createLogger } from '../../src/observability/logger.js';
import { cleanPrefix, openTestRedis, randomPrefix, testRedisUrl } from './redis.js';

/** A bot token and webhook secret in the shapes config accepts (nothing real). */
export const TEST_BOT_TOKEN = '123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz';
export const TEST_WEBHOOK_SECRET = 'fault_test-secret-0123456789';

/** A Telegram text update from a private chat whose id is also the user id; "/..." is a command. */
export function telegramTextUpdate(updateId: number, chatId: number, text: string, languageCode = 'vi') {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Lan' },
      from: { id: chatId, is_bot: false, first_name: 'Lan', language_code: languageCode },
      text,
      ...(text.startsWith('/')
        ? { entities: [{ type: 'bot_command', offset: 0, length: text.length }] }
        : {}),
    },
  };
}

/** Posts an update to the webhook as Telegram does; the HTTP status, or 0 when the call failed. */
export async function postTelegramUpdate(
  baseUrl: string,
  update: unknown,
  secret = TEST_WEBHOOK_SECRET,
): Promise<number> {
  try {
    const response = await fetch(`${baseUrl}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(update),
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** The environment that switches the Telegram channel on in webhook mode against a fake Bot API. */
export function telegramEnv(apiRoot: string): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_API_ROOT: apiRoot,
  };
}

/** A HASH_SECRET for apps under test; the stores opened beside them must use the same. */
export const TEST_HASH_SECRET = 'fault-test-hash-secret-0123456789';

/**
 * The stores of an app running elsewhere (another process), opened on the same Redis and prefix
 * with the same HASH_SECRET (operator secrets are stored keyed by it).
 */
export function openStores(redisUrl: string, prefix: string): Container {
  const config = loadConfig({
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    HASH_SECRET: TEST_HASH_SECRET,
    LOG_LEVEL: 'silent',
  });
  return createContainer(config, createLogger('silent'));
}

/**
 * A fresh prefix on the shared test Redis for app processes under test: the stores beside them,
 * the environment to start them with (Telegram on against `telegramApiRoot`), and clean-ups
 * (prefix deleted, stores closed) pushed onto `cleanups`.
 */
export function appsOnTestRedis(
  name: string,
  telegramApiRoot: string,
  cleanups: Array<() => Promise<unknown>>,
): { prefix: string; stores: Container; env: Record<string, string> } {
  const prefix = randomPrefix(name);
  cleanups.push(async () => {
    const redis = openTestRedis();
    await cleanPrefix(redis, prefix);
    redis.disconnect();
  });
  const stores = openStores(testRedisUrl(), prefix);
  cleanups.push(() => stores.close());
  const env = {
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: prefix,
    HASH_SECRET: TEST_HASH_SECRET,
    LOG_LEVEL: 'silent',
    ...telegramEnv(telegramApiRoot),
  };
  return { prefix, stores, env };
}
