import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelName } from '../../src/core/user-ref.js';
import type { OutboxEnvelope } from '../../src/pipeline/envelopes.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { FakeZaloApi } from '../fakes/zalo-api.js';
import { startAppProcess } from '../support/process.js';
import { appsOnTestRedis } from '../support/telegram-webhook.js';
import { eventually } from '../support/test-server.js';

const ZALO_APP = { appId: '1234567890', appSecret: 'app-secret-456' };
const TELEGRAM_CHATS = ['740001', '740002', '740003'];
const ZALO_CHATS = ['8877665544332211001', '8877665544332211002', '8877665544332211003'];
const PER_CHAT = 5;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});

describe('Bot API and Zalo answering 500 and 429 for a while', () => {
  it('deliver every queued reply afterwards, once, in order per chat, from two processes', async () => {
    const telegram = await new FakeTelegramApi().start();
    cleanups.push(() => telegram.close());
    const zalo = await new FakeZaloApi(ZALO_APP).start();
    cleanups.push(() => zalo.close());
    const { stores, env: base } = appsOnTestRedis('fault-platform', telegram.url, cleanups);
    const env = {
      ...base,
      ZALO_APP_ID: ZALO_APP.appId,
      ZALO_OA_SECRET_KEY: 'oa-secret-key-123',
      ZALO_APP_SECRET: ZALO_APP.appSecret,
      ZALO_REFRESH_TOKEN: zalo.issueRefreshToken(),
      ZALO_API_BASE: zalo.url,
      ZALO_OAUTH_BASE: zalo.url,
    };
    const apps = await Promise.all([startAppProcess(env), startAppProcess(env)]);
    for (const app of apps) cleanups.push(() => app.stop('SIGKILL'));

    // The platforms fail the first sends: server errors, then rate limits with a wait.
    telegram.failNext('sendMessage', 4, { httpStatus: 500 });
    telegram.failNext('sendMessage', 2, {
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
    zalo.csScript.push('http500', 'http500', 'http502', 'http429', 'http429', -32);

    // Several replies per chat, queued as the conversation runtime queues them (chat = order key).
    const texts = (chat: string) =>
      Array.from({ length: PER_CHAT }, (_, i) => `Trả lời ${i + 1} cho ${chat}`);
    const enqueue = async (channel: ChannelName, chats: string[]) => {
      for (let i = 0; i < PER_CHAT; i++) {
        for (const chat of chats) {
          const envelope: OutboxEnvelope = {
            v: 1,
            id: `fault:${chat}:${i}`,
            channel,
            chatId: chat,
            userId: chat,
            reply: { text: texts(chat)[i]! },
            createdAt: Date.now(),
          };
          await stores.outbox(channel).add(JSON.stringify(envelope), chat);
        }
      }
    };
    await Promise.all([enqueue('telegram', TELEGRAM_CHATS), enqueue('zalo', ZALO_CHATS)]);

    const zaloTexts = (chat: string) =>
      zalo
        .delivered()
        .filter((c) => c.body.recipient?.user_id === chat)
        .map((c) => c.body.message?.text ?? '');
    const allDelivered = () =>
      TELEGRAM_CHATS.every((c) => telegram.deliveredTexts(c).length >= PER_CHAT) &&
      ZALO_CHATS.every((c) => zaloTexts(c).length >= PER_CHAT);
    await eventually(() => (allDelivered() ? true : undefined), 30_000);
    await new Promise((r) => setTimeout(r, 500));

    for (const chat of TELEGRAM_CHATS) expect(telegram.deliveredTexts(chat)).toEqual(texts(chat));
    for (const chat of ZALO_CHATS) expect(zaloTexts(chat)).toEqual(texts(chat));
    // The faults were really played.
    const telegramOutcomes = telegram.callsOf('sendMessage').map((c) => c.outcome);
    expect(telegramOutcomes.filter((o) => o === 500)).toHaveLength(4);
    expect(telegramOutcomes.filter((o) => o === 429)).toHaveLength(2);
    expect(zalo.csCalls.filter((c) => c.outcome !== 0).map((c) => c.outcome)).toEqual([
      'http500',
      'http500',
      'http502',
      'http429',
      'http429',
      -32,
    ]);
    // The two processes share one Zalo token: one refresh, the single-use refresh token spent once.
    expect(zalo.refreshCalls.map((c) => c.outcome)).toEqual(['refreshed']);
    for (const channel of ['telegram', 'zalo'] as const) {
      expect(await stores.outbox(channel).depth()).toEqual({ waiting: 0, pending: 0, dead: 0 });
    }
  }, 90_000);
});
