import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { WebchatClient } from '../support/webchat-client.js';

// Runs in the `redis-cluster` test project only (vitest.config.ts): the suite's Redis is the
// project's local three-primary cluster, so the whole server below runs on it.
let t: TestServer | undefined;
let client: WebchatClient | undefined;
afterEach(async () => {
  client?.close();
  await t?.close();
  t = undefined;
});

describe('the whole server on a Redis Cluster', () => {
  it('answers through inbox, worker and outbox, checks an offer, opens a case and forgets the user', async () => {
    t = await startTestServer({ redis: true });
    expect(t.config.redis?.url).toMatch(/^redis\+cluster:\/\//);
    await t.server.app.listen({ port: 0, host: '127.0.0.1' });
    t.server.startWorkers();
    const address = t.server.app.server.address();
    const c = new WebchatClient(
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    );
    client = c;
    await c.open();
    const { container, engine } = t.server;
    const user = { channel: 'webchat' as const, id: c.session };

    const greeting = await c.say({ text: '/start' });
    const ask = await c.say({ button: c.button(greeting, '🔎 Kiểm tra tin tuyển dụng') });
    expect(ask[0]!.text).toContain('Bạn dán hoặc chuyển tiếp tin tuyển dụng vào đây');
    const verdict = await c.say(
      {
        text: 'Tuyen gap nv CSKH di Campuchia, luong 25tr/thang, bao an o, bao ve may bay, ko can kinh nghiem',
      },
      3,
    );
    expect(verdict[0]!.text).toMatch(/^Mức nguy hiểm: CAO/);

    const safety = await c.say(
      { text: 'cuu toi voi, toi bi giu o Campuchia, ho lay ho chieu va danh toi' },
      3,
    );
    expect(safety[1]!.text).toBe(engine.texts.t('vi', 'safety.alerted'));
    const [waiting] = await container.cases.list('waiting');
    expect(waiting).toMatchObject({ level: 'imminent', channel: 'webchat', userId: c.session });
    expect(Object.keys(await container.users.getAll(user))).not.toHaveLength(0);

    const confirm = await c.say({ text: '/forget' });
    const forgotten = await c.say({ button: c.button(confirm, '🗑️ Xoá dữ liệu của tôi') });
    expect(forgotten.map((r) => r.text)).toContain(engine.texts.t('vi', 'forget.case_kept'));
    expect(await container.users.getAll(user)).toEqual({});
    expect((await container.cases.get(waiting!.id))?.forgetRequested).toBeTruthy();
    expect(await container.inboxQueue.depth()).toMatchObject({ pending: 0, dead: 0 });
  });
});
