import { afterEach, describe, expect, it } from 'vitest';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { DISTRESS_TEXT } from '../support/messages.js';
import { startAppProcess } from '../support/process.js';
import { randomPrefix } from '../support/redis.js';
import { OwnRedis } from '../support/redis-server.js';
import {
  openStores,
  postTelegramUpdate,
  TEST_HASH_SECRET,
  telegramEnv,
  telegramTextUpdate,
} from '../support/telegram-webhook.js';
import { eventually } from '../support/test-server.js';

const ORDINARY = 'xin chào';
const UPDATES = 36;
const KILL_AT = 12;
const FIRST_CHAT = 720_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});

describe('Redis killed and restarted (AOF, fsync always) under a stream of webhook updates', () => {
  it('loses no acknowledged update and opens each case once; refused updates are taken on retry', async () => {
    const redis = new OwnRedis();
    await redis.start({ appendonly: true });
    cleanups.push(() => redis.destroy());
    const fake = await new FakeTelegramApi().start();
    cleanups.push(() => fake.close());
    const prefix = randomPrefix('fault-redis');
    const app = await startAppProcess({
      REDIS_URL: redis.url,
      REDIS_PREFIX: prefix,
      HASH_SECRET: TEST_HASH_SECRET,
      LOG_LEVEL: 'silent',
      ...telegramEnv(fake.url),
      // An entry whose handling failed while Redis was away is retried a second later.
      QUEUE_RECLAIM_IDLE_MS: '1000',
    });
    cleanups.push(() => app.stop('SIGKILL'));
    const stores = openStores(redis.url, prefix);
    cleanups.push(() => stores.close());

    const chatOf = (i: number) => FIRST_CHAT + i;
    const isDistress = (i: number) => i % 4 === 1;
    const update = (i: number) =>
      telegramTextUpdate(1000 + i, chatOf(i), isDistress(i) ? DISTRESS_TEXT : ORDINARY);

    // The answers an ordinary and a distress message get when nothing goes wrong.
    expect(await postTelegramUpdate(app.url, update(0))).toBe(200);
    expect(await postTelegramUpdate(app.url, update(1))).toBe(200);
    const distressAnswer = await eventually(() => {
      const texts = fake.deliveredTexts(chatOf(1));
      return texts.length >= 3 ? texts : undefined;
    }, 30_000);
    const ordinaryAnswer = fake.deliveredTexts(chatOf(0));
    expect(ordinaryAnswer.length).toBeGreaterThan(0);

    // A steady stream; Redis is SIGKILLed part-way and started again on the same port and dir.
    const refused: number[] = [];
    let fault: Promise<void> | undefined;
    for (let i = 2; i < UPDATES; i++) {
      if (i === KILL_AT) {
        fault = (async () => {
          await redis.stop('SIGKILL');
          await sleep(1500);
          await redis.start({ appendonly: true });
        })();
      }
      const status = await postTelegramUpdate(app.url, update(i));
      if (status !== 200) refused.push(i);
      await sleep(40);
    }
    await fault;
    // Telegram delivers a refused update again until it gets a 2xx.
    for (const i of refused) {
      await eventually(async () =>
        (await postTelegramUpdate(app.url, update(i))) === 200 ? true : undefined,
      );
    }
    expect(refused.length).toBeGreaterThan(0);

    const expectedOf = (i: number) => (isDistress(i) ? distressAnswer : ordinaryAnswer);
    await eventually(() => {
      for (let i = 0; i < UPDATES; i++) {
        if (fake.deliveredTexts(chatOf(i)).length < expectedOf(i).length) return undefined;
      }
      return true;
    }, 30_000);
    // Long enough for a late second copy of any reply to show up.
    await sleep(1500);

    for (let i = 0; i < UPDATES; i++) {
      expect({ chat: i, texts: fake.deliveredTexts(chatOf(i)) }).toEqual({ chat: i, texts: expectedOf(i) });
    }
    const cases = [...(await stores.cases.list('waiting')), ...(await stores.cases.list('claimed'))];
    const distressUsers = Array.from({ length: UPDATES }, (_, i) => i)
      .filter(isDistress)
      .map((i) => String(chatOf(i)));
    expect(cases.map((c) => c.userId).sort()).toEqual(distressUsers.sort());
    expect(await stores.inbox.depth()).toEqual({ waiting: 0, pending: 0, dead: 0 });
    expect(await stores.outbox('telegram').depth()).toEqual({ waiting: 0, pending: 0, dead: 0 });
  }, 90_000);
});
