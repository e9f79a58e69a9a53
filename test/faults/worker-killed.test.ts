import { afterEach, describe, expect, it } from 'vitest';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { DISTRESS_TEXT } from '../support/messages.js';
import { type AppProcess, startAppProcess } from '../support/process.js';
import { appsOnTestRedis, postTelegramUpdate, telegramTextUpdate } from '../support/telegram-webhook.js';
import { eventually } from '../support/test-server.js';

const OPERATORS_CHAT = '-100999';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});

describe('a worker process killed in the middle of a message', () => {
  it('leaves the entry to another worker, and the person gets each answer exactly once', async () => {
    const fake = await new FakeTelegramApi().start();
    cleanups.push(() => fake.close());
    const { stores, env: base } = appsOnTestRedis('fault-worker', fake.url, cleanups);
    const env = {
      ...base,
      // The new-case alert goes to the operators' chat from inside the message's handling.
      OPERATOR_TELEGRAM_CHAT_ID: OPERATORS_CHAT,
      // A dead worker's entries are taken over after a second (30 s by default).
      QUEUE_RECLAIM_IDLE_MS: '1000',
    };
    const started = async (role: string) => {
      const app = await startAppProcess({ ...env, ROLE: role });
      cleanups.push(() => app.stop('SIGKILL'));
      return app;
    };
    const web = await started('web');
    const first: AppProcess = await started('worker');

    // A control conversation, handled without trouble: the answer every such message should get.
    expect(await postTelegramUpdate(web.url, telegramTextUpdate(1, 710001, DISTRESS_TEXT))).toBe(200);
    const expected = await eventually(async () => {
      const texts = fake.deliveredTexts(710001);
      return texts.length >= 3 ? texts : undefined;
    }, 30_000);

    // From now on the Bot API hangs: the worker sends the safety reply and, while it opens the
    // case, alerts the operators; neither call is ever answered, so nothing counts as delivered.
    fake.stall = (method) => method === 'sendMessage';
    const mark = fake.calls.length;
    expect(await postTelegramUpdate(web.url, telegramTextUpdate(2, 710002, DISTRESS_TEXT))).toBe(200);
    await fake.waitFor(
      (calls) =>
        calls
          .slice(mark)
          .some((c) => c.method === 'sendMessage' && String(c.params.chat_id) === OPERATORS_CHAT),
      30_000,
    );
    await first.stop('SIGKILL');
    fake.stall = undefined;

    await started('worker');
    await eventually(
      () => (fake.deliveredTexts(710002).length >= expected.length ? true : undefined),
      30_000,
    );
    // Long enough for any second take-over of the same entries to show up as a duplicate.
    await new Promise((r) => setTimeout(r, 1500));

    expect(fake.deliveredTexts(710002)).toEqual(expected);
    const cases = (await stores.cases.list('waiting')).filter((c) => c.userId === '710002');
    expect(cases).toHaveLength(1);
    const transcript = (await stores.cases.get(cases[0]!.id))?.transcript ?? [];
    expect(transcript.filter((e) => e.from === 'user').map((e) => e.text)).toEqual([DISTRESS_TEXT]);
    expect(await stores.inbox.depth()).toEqual({ waiting: 0, pending: 0, dead: 0 });
    expect(await stores.outbox('telegram').depth()).toEqual({ waiting: 0, pending: 0, dead: 0 });
  }, 90_000);
});
