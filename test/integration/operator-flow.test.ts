import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTestServer, type TestServer } from '../support/test-server.js';
import { WebchatClient } from '../support/webchat-client.js';

const servers: TestServer[] = [];
let client: WebchatClient | undefined;
afterEach(async () => {
  client?.close();
  for (const s of servers.splice(0).reverse()) await s.close();
});

async function boot(prefix?: string, cleanup = true): Promise<{ t: TestServer; url: string }> {
  const t = await startTestServer({ redis: true, prefix, cleanup });
  servers.push(t);
  await t.server.app.listen({ port: 0, host: '127.0.0.1' });
  t.server.startWorkers();
  const address = t.server.app.server.address();
  return { t, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

async function bearer(t: TestServer, name: string, role: 'operator' | 'supervisor' = 'operator') {
  const { secret } = await t.server.container.operators.add(name, role, Date.now());
  return { authorization: `Bearer ${secret}` };
}

describe('operator flow end to end (web chat, real Redis, operator API)', () => {
  it('a distress message becomes a waiting case; an operator claims it, writes, the user reads it, resolve closes it', async () => {
    const { t, url } = await boot();
    client = new WebchatClient(url);
    await client.open();
    await client.say({ text: 'Cứu tôi, họ nhốt tôi trong phòng và lấy hộ chiếu rồi' }, 3);

    const lan = await bearer(t, 'lan');
    const list = await t.server.app.inject({
      method: 'GET',
      url: '/api/operator/cases?state=waiting',
      headers: lan,
    });
    expect(list.statusCode).toBe(200);
    const [waiting] = list.json().cases ?? list.json();
    expect(waiting.level).toBe('imminent');

    const claim = await t.server.app.inject({
      method: 'POST',
      url: `/api/operator/cases/${waiting.id}/claim`,
      headers: lan,
    });
    expect(claim.statusCode).toBe(200);

    // While claimed, the user's words go to the operator, not to the menu.
    const before = client.replies.length;
    await client.post({ text: 'tôi đang ở tầng 3' });
    await eventually(async () => {
      const full = (
        await t.server.app.inject({ method: 'GET', url: `/api/operator/cases/${waiting.id}`, headers: lan })
      ).json();
      const c = full.case ?? full;
      return c.transcript.some((e: { text: string }) => e.text === 'tôi đang ở tầng 3') ? true : undefined;
    });
    expect(client.replies.length).toBe(before);

    const sent = await t.server.app.inject({
      method: 'POST',
      url: `/api/operator/cases/${waiting.id}/messages`,
      headers: lan,
      payload: { text: 'Chào bạn, mình là tư vấn viên. Bạn có an toàn để nhắn tin không?' },
    });
    expect(sent.statusCode).toBeLessThan(300);
    const relayed = await eventually(() => client!.replies.find((r) => r.from === 'operator'));
    expect(relayed.text).toBe(
      '👤 Đường dây nóng:\nChào bạn, mình là tư vấn viên. Bạn có an toàn để nhắn tin không?',
    );
    await eventually(async () => {
      const c = await t.server.container.cases.get(waiting.id);
      return c?.transcript.find((e) => e.from === 'operator')?.delivery === 'sent' ? true : undefined;
    });

    const resolved = await t.server.app.inject({
      method: 'POST',
      url: `/api/operator/cases/${waiting.id}/resolve`,
      headers: lan,
      payload: { outcome: 'referred_to_consulate' },
    });
    expect(resolved.statusCode).toBe(200);
    const closing = await eventually(() =>
      client!.replies.find((r) => r.text === t.server.engine.texts.t('vi', 'safety.closing')),
    );
    expect(closing).toBeDefined();
    expect(await t.server.container.cases.list('waiting')).toHaveLength(0);
    // The bot menu is back for this user.
    const menu = await client.say({ text: 'menu' });
    expect(menu[0]!.text).toBe('Bạn muốn làm gì?');
  });

  it('two operators claiming at once: exactly one 200 and one 409', async () => {
    const { t, url } = await boot();
    client = new WebchatClient(url);
    await client.open();
    await client.say({ text: 'my sister is locked in a compound in Myanmar and they beat her' }, 3);
    const [c] = await t.server.container.cases.list('waiting');
    const [a, b] = [await bearer(t, 'an'), await bearer(t, 'binh')];
    const results = await Promise.all([
      t.server.app.inject({ method: 'POST', url: `/api/operator/cases/${c!.id}/claim`, headers: a }),
      t.server.app.inject({ method: 'POST', url: `/api/operator/cases/${c!.id}/claim`, headers: b }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });

  it('a case survives a restart of the app process', async () => {
    const first = await boot(undefined, false);
    client = new WebchatClient(first.url);
    await client.open();
    await client.say({ text: 'con tôi bị bán sang Campuchia, họ đòi tiền chuộc' }, 3);
    const [before] = await first.t.server.container.cases.list('waiting');
    client.close();
    client = undefined;
    await first.t.server.stop();
    servers.splice(servers.indexOf(first.t), 1);

    const second = await boot(first.t.prefix);
    const ops = await bearer(second.t, 'chi');
    const list = await second.t.server.app.inject({
      method: 'GET',
      url: '/api/operator/cases?state=waiting',
      headers: ops,
    });
    const cases = list.json().cases ?? list.json();
    expect(cases.map((c: { id: string }) => c.id)).toEqual([before!.id]);
  });
});
