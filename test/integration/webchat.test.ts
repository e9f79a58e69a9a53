import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
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
  const port = typeof address === 'object' && address ? address.port : 0;
  client = new WebchatClient(`http://127.0.0.1:${port}`);
  await client.open();
  return client;
}

const texts = (replies: { text: string }[]) => replies.map((r) => r.text).join('\n---\n');

describe('web chat over HTTP and SSE, through inbox, worker and outbox', () => {
  it('walks a full menu path in Vietnamese: greeting, check an offer, explain, menu, hotlines', async () => {
    const c = await start();
    const greeting = await c.say({ text: '/start' });
    expect(greeting[0]!.text).toContain('Xin chào! Mình là trợ lý di cư an toàn');

    const ask = await c.say({ button: c.button(greeting, '🔎 Kiểm tra tin tuyển dụng') });
    expect(ask[0]!.text).toContain('Bạn dán hoặc chuyển tiếp tin tuyển dụng vào đây');

    const result = await c.say(
      {
        text: 'Tuyen gap nv CSKH di Campuchia, luong 25tr/thang, bao an o, bao ve may bay, ko can kinh nghiem, ib zalo',
      },
      3,
    );
    expect(result[0]!.text).toMatch(/^Mức nguy hiểm: CAO/);
    const explained = await c.say({ button: c.button(result, '📖 Giải thích thêm') });
    expect(explained[0]!.text.length).toBeGreaterThan(result[0]!.text.length / 2);

    const menu = await c.say({ button: c.button(result, '🏠 Menu chính') });
    expect(menu[0]!.text).toBe('Bạn muốn làm gì?');
    const hotlines = await c.say({ button: c.button(menu, '☎️ Số điện thoại hỗ trợ') }, 2);
    expect(texts(hotlines)).toContain('111');
    expect(texts(hotlines)).toContain('+84 981 84 84 84');
  });

  it('walks the same path in English after choosing the language', async () => {
    const c = await start();
    const greeting = await c.say({ text: '/start' });
    const languages = await c.say({ button: c.button(greeting, '🌐 Ngôn ngữ / Language') });
    const english = await c.say({ button: c.button(languages, '🇬🇧 English') }, 2);
    expect(english[0]!.text).toBe('Switched to English.');
    expect(english[1]!.text).toBe('What would you like to do?');

    const ask = await c.say({ button: c.button(english, '🔎 Check a job offer') });
    expect(ask[0]!.text).toContain('Paste or forward the job offer here');
    const result = await c.say(
      {
        text: 'Urgent! Office job in Sihanoukville, Cambodia. Salary 1,500 USD/month, no experience, free flight and accommodation. Message us on Telegram.',
      },
      3,
    );
    expect(result[0]!.text).toMatch(/^Risk: HIGH/);
    const menu = await c.say({ button: c.button(result, '🏠 Main menu') });
    const hotlines = await c.say({ button: c.button(menu, '☎️ Hotlines') }, 2);
    expect(texts(hotlines)).toContain('111');
  });

  it('answers a duplicate post (same message id) once', async () => {
    const c = await start();
    await c.say({ text: '/start' });
    const before = c.replies.length;
    const body = JSON.stringify({ session: c.session, id: 'dup-1', text: '/help' });
    const post = () =>
      fetch(`${c.baseUrl}/chat/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const [a, b] = await Promise.all([post(), post()]);
    const statusOf = async (r: Response) => ((await r.json()) as { status: string }).status;
    expect([await statusOf(a), await statusOf(b)].sort()).toEqual(['duplicate', 'stored']);
    await new Promise((r) => setTimeout(r, 400));
    expect(c.replies.length - before).toBe(1);
  });

  it('refuses bad input with precise 4xx and stores nothing', async () => {
    const c = await start();
    const base = c.baseUrl;
    const send = (body: unknown) =>
      fetch(`${base}/chat/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await send({ session: 'short', id: 'a', text: 'hi' })).status).toBe(400);
    expect((await send({ session: c.session, id: 'a' })).status).toBe(400);
    expect((await send({ session: c.session, id: 'bad id!', text: 'x' })).status).toBe(400);
    expect((await send({ session: c.session, id: 'a', text: 'x'.repeat(4001) })).status).toBe(400);
    expect((await fetch(`${base}/chat/api/events?session=x`)).status).toBe(400);
    const depth = await t!.server.container.inboxQueue.depth();
    expect(depth.waiting + depth.pending).toBe(0);
  });
});

describe('lessons through the web chat', () => {
  it('a teen completes a lesson and its quiz with buttons', async () => {
    const c = await start();
    const { join } = await import('node:path');
    const { loadValidLessons } = await import('../../src/content/lessons.js');
    const { projectRoot } = await import('../../src/content/content-root.js');
    const lesson = loadValidLessons(join(projectRoot(), 'content')).locales.vi.lessons.job_lure!;
    const byArg = (replies: { buttons?: { payload: string }[][] }[], prefix: string) => {
      const found = replies
        .flatMap((r) => (r.buttons ?? []).flat())
        .find((b) => b.payload.includes(`:a:lesson:${prefix}`));
      if (!found) throw new Error(`no lesson button ${prefix}`);
      return found.payload;
    };
    const greeting = await c.say({ text: '/start' });
    let replies = await c.say({ button: c.button(greeting, '📚 Học cách an toàn trên mạng') });
    replies = await c.say({ button: byArg(replies, 'l.s.job_lure') }); // the lesson list
    replies = await c.say({ button: byArg(replies, 'l.g.1') }, 2); // age band 13-15, then card 1
    for (let card = 0; card + 1 < lesson.cards.length; card++)
      replies = await c.say({ button: byArg(replies, `l.n.job_lure.${card}`) });
    replies = await c.say({ button: byArg(replies, 'l.q.job_lure') });
    for (const question of lesson.questions) {
      const right = question.options.findIndex((o) => o.correct);
      replies = await c.say({ button: byArg(replies, `l.a.job_lure.${question.id}.${right}`) }, 2);
    }
    const end = replies.map((r) => r.text).join('\n');
    expect(end).toContain('🏅');
    expect(end).toContain(`${lesson.questions.length}/${lesson.questions.length}`);
  });
});
