import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTestServer, type TestServer } from '../support/test-server.js';
import { WebchatClient } from '../support/webchat-client.js';

let t: TestServer | undefined;
let client: WebchatClient | undefined;
afterEach(async () => {
  client?.close();
  await t?.close();
  t = undefined;
});

async function start(): Promise<WebchatClient> {
  t = await startTestServer({ redis: true });
  await t.server.app.listen({ port: 0, host: '127.0.0.1' });
  t.server.startWorkers();
  const address = t.server.app.server.address();
  client = new WebchatClient(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
  await client.open();
  return client;
}

describe('escalation through the web chat (real Redis)', () => {
  it('answers a message from inside a compound with the safety reply first, then stores a waiting case, then says a person was alerted', async () => {
    const c = await start();
    await c.say({ text: '/start' });
    const replies = await c.say(
      { text: 'cuu toi voi, toi bi giu o Campuchia, ho lay ho chieu va danh toi' },
      3,
    );
    expect(replies[0]!.text).toContain('+84 981 84 84 84'); // abroad: the consular line
    expect(replies[0]!.buttons?.flat().map((b) => b.label)).toEqual(['Có, liên lạc với tôi', 'Để sau']);
    const waiting = await t!.server.container.cases.list('waiting');
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.level).toBe('imminent');
    expect(waiting[0]!.channel).toBe('webchat');
    expect(replies[1]!.text).toBe(t!.server.engine.texts.t('vi', 'safety.alerted'));
    expect(replies[2]!.text).toBe(t!.server.engine.texts.t('vi', 'safety.intake.safe_to_talk.question'));
    const full = await t!.server.container.cases.get(waiting[0]!.id);
    expect(full!.transcript[0]).toMatchObject({
      from: 'user',
      text: 'cuu toi voi, toi bi giu o Campuchia, ho lay ho chieu va danh toi',
    });
  });

  it('gives a user who writes again their open case, not a second one, and records intake answers', async () => {
    const c = await start();
    const first = await c.say(
      { text: 'Con tôi bị giữ ở Campuchia, họ đòi 3.000 đô tiền chuộc trước thứ Sáu' },
      3,
    );
    const safe = c.button(first, 'An toàn');
    const minor = await c.say({ button: safe });
    await c.say({ button: c.button(minor, /Dưới 18/) });
    await c.say({ text: 'Bavet, gần cửa khẩu Mộc Bài' });
    await c.say({ text: 'họ lại đánh nó nữa' });
    const cases = await t!.server.container.cases.list('waiting');
    expect(cases).toHaveLength(1);
    const full = await t!.server.container.cases.get(cases[0]!.id);
    expect(full!.intake).toMatchObject({
      safe_to_talk: 'yes',
      minor: 'yes',
      country: 'Bavet, gần cửa khẩu Mộc Bài',
    });
    expect(full!.minor).toBe(true);
    expect(full!.transcript.filter((e) => e.from === 'user').map((e) => e.text)).toContain(
      'họ lại đánh nó nữa',
    );
  });

  it('asks before opening a case when the signs are unclear, and opens it when the person says yes', async () => {
    const c = await start();
    await c.say({ text: '/start' });
    const replies = await c.say({ text: 'ở đây như nhà tù vậy, ngày nào cũng làm 16 tiếng' });
    expect(await t!.server.container.cases.list('waiting')).toHaveLength(0);
    const opened = await c.say({ button: c.button(replies, 'Có, liên lạc với tôi') }, 2);
    expect(opened[0]!.text).toBe(t!.server.engine.texts.t('vi', 'safety.alerted'));
    const waiting = await eventually(async () => {
      const list = await t!.server.container.cases.list('waiting');
      return list.length === 1 ? list : undefined;
    });
    expect(waiting[0]!.level).toBe('concern');
    expect(waiting[0]!.intake.contact_consent).toBe('yes');
  });

  it('opens a high case from the help menu and never claims an alert before the case exists', async () => {
    const c = await start();
    const greeting = await c.say({ text: '/start' });
    const help = await c.say({ button: c.button(greeting, /cần giúp ngay/) });
    const replies = await c.say({ button: c.button(help, 'Người thân/người quen của tôi') }, 3);
    const alertedAt = replies.findIndex((r) => r.text === t!.server.engine.texts.t('vi', 'safety.alerted'));
    expect(alertedAt).toBeGreaterThan(0);
    expect(replies[0]!.text).toContain('111');
    const waiting = await t!.server.container.cases.list('waiting');
    expect(waiting[0]!).toMatchObject({ level: 'high', intake: { who: 'other' } });
  });

  it('does not raise an alarm for an ordinary question or a request to check an offer', async () => {
    const c = await start();
    await c.say({ text: '/start' });
    await c.say({ text: 'giúp mình xem tin này có lừa đảo không' });
    await c.say({ text: 'help me check this offer please' });
    expect(await t!.server.container.cases.list('waiting')).toHaveLength(0);
  });
  it('escalates a relative’s report that also reads like an offer (a place, work, an amount)', async () => {
    const c = await start();
    await c.say({ text: '/start' });
    const text =
      'em gái tôi sang Campuchia làm việc 3 tháng nay không được gọi điện về nhà, công ty nói nó nợ 5000 đô mới cho về';
    const replies = await c.say({ text }, 3);
    expect(replies[0]!.text).toContain('+84 981 84 84 84');
    const waiting = await t!.server.container.cases.list('waiting');
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.level).toBe('high');
  });
});
