import { afterEach, describe, expect, it } from 'vitest';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { DISTRESS_TEXT } from '../support/messages.js';
import { startAppProcess } from '../support/process.js';
import { appsOnTestRedis, postTelegramUpdate, telegramTextUpdate } from '../support/telegram-webhook.js';
import { eventually } from '../support/test-server.js';

// Zalo tokens refreshed by two app instances at once (one refresh, the token spent once) are
// covered by test/integration/zalo.test.ts, "lets two processes refreshing at once ...".

const CHAT = 730_001;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});

describe('two app processes on one Redis', () => {
  it('let one operator claim a case, and relay messages both ways once each, in order', async () => {
    const fake = await new FakeTelegramApi().start();
    cleanups.push(() => fake.close());
    const { stores, env } = appsOnTestRedis('fault-two', fake.url, cleanups);
    const [a, b] = await Promise.all([startAppProcess(env), startAppProcess(env)]);
    cleanups.push(
      () => a.stop('SIGKILL'),
      () => b.stop('SIGKILL'),
    );

    expect(await postTelegramUpdate(a.url, telegramTextUpdate(1, CHAT, DISTRESS_TEXT))).toBe(200);
    const [waiting] = await eventually(async () => {
      const list = await stores.cases.list('waiting');
      return list.length > 0 ? list : undefined;
    }, 30_000);
    const mai = (await stores.operators.add('mai', 'operator', Date.now())).secret;
    const lan = (await stores.operators.add('lan', 'operator', Date.now())).secret;
    const call = (base: string, secret: string, path: string, body?: unknown) =>
      fetch(`${base}/api/operator/cases/${waiting!.id}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${secret}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });

    // Both operators press "claim" at once, each through another process.
    const claims = await Promise.all([call(a.url, mai, '/claim'), call(b.url, lan, '/claim')]);
    expect(claims.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = claims[0]!.status === 200 ? mai : lan;
    expect((await stores.cases.get(waiting!.id))?.assignee).toBe(claims[0]!.status === 200 ? 'mai' : 'lan');

    // The operator's messages go out through either process, one after another.
    const sent = Array.from({ length: 8 }, (_, i) => `Tin ${i + 1} từ tổng đài`);
    for (const [i, text] of sent.entries()) {
      const response = await call(i % 2 === 0 ? a.url : b.url, winner, '/messages', { text });
      expect(response.status).toBeLessThan(300);
    }
    const fromOperator = () => fake.deliveredTexts(CHAT).filter((t) => t.includes('từ tổng đài'));
    await eventually(() => (fromOperator().length >= sent.length ? true : undefined), 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(fromOperator().map((t) => t.split('\n').at(-1))).toEqual(sent);

    // The person writes back quickly; a load balancer spreads the webhooks over both processes.
    const answers = Array.from({ length: 8 }, (_, i) => `Trả lời số ${i + 1}`);
    for (const [i, text] of answers.entries()) {
      const status = await postTelegramUpdate(
        i % 2 === 0 ? a.url : b.url,
        telegramTextUpdate(10 + i, CHAT, text),
      );
      expect(status).toBe(200);
    }
    const userLines = async () =>
      ((await stores.cases.get(waiting!.id))?.transcript ?? [])
        .filter((e) => e.from === 'user' && e.text.startsWith('Trả lời số'))
        .map((e) => e.text);
    await eventually(async () => ((await userLines()).length >= answers.length ? true : undefined), 30_000);
    expect(await userLines()).toEqual(answers);

    const transcript = (await stores.cases.get(waiting!.id))?.transcript ?? [];
    const operatorLines = transcript.filter((e) => e.from === 'operator');
    expect(operatorLines.map((e) => e.text)).toEqual(sent);
    await eventually(async () => {
      const c = await stores.cases.get(waiting!.id);
      const lines = c?.transcript.filter((e) => e.from === 'operator') ?? [];
      return lines.every((e) => e.delivery === 'sent') ? true : undefined;
    }, 30_000);
  }, 90_000);
});
