import { afterEach, describe, expect, it } from 'vitest';
import type { InboundMessage, Reply } from '../../src/core/messages.js';
import type { UserRef } from '../../src/core/user-ref.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { inbound, press } from '../support/messages.js';
import { keysMentioning, scanPrefix } from '../support/redis-scan.js';
import { telegramTextUpdate } from '../support/telegram-webhook.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * "Forget me" for real: a user leaves data in every per-user store, asks to be forgotten, and then
 * no Redis key or value under the prefix holds their id or their pseudonym (only an open case may,
 * and it loses them once it is resolved).
 */

let t: TestServer | undefined;
let fake: FakeTelegramApi | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  await fake?.close();
  fake = undefined;
});

const OFFER =
  'Tuyển gấp nữ 18-25 tuổi sang Campuchia làm CSKH, lương 30 triệu/tháng, bao vé máy bay, ' +
  'không cần kinh nghiệm, giữ hộ chiếu khi sang. Liên hệ Zalo 0912 345 678.';
const DISTRESS = 'cứu tôi, họ nhốt tôi và đánh tôi, tôi không về được';

async function boot(env: Record<string, string> = {}) {
  t = await startTestServer({ redis: true, env });
  return t.server;
}

function buttonsOf(replies: Reply[]): Array<{ label: string; payload: string }> {
  return replies.flatMap((r) => (r.buttons ?? []).flat());
}

/** Talks to the runtime as the web chat would, and reads the replies from the session's mailbox. */
function webchatUser(server: TestServer['server'], session: string) {
  const user: UserRef = { channel: 'webchat', id: session };
  let cursor: string | undefined;
  const send = async (message: InboundMessage) => {
    await server.runtime.handleMessage(message);
    await server.drain();
    const fresh = await server.mailbox.readAfter(session, cursor, 1000);
    cursor = fresh.at(-1)?.eventId ?? cursor;
    return fresh.map((i) => i.reply);
  };
  const say = (text: string) => send(inbound(text, { user }));
  const pressLabel = async (replies: Reply[], key: string) => {
    const label = server.engine.texts.t('vi', key);
    const button = buttonsOf(replies).find((b) => b.label === label);
    if (!button) throw new Error(`no button ${label}`);
    return send(press(button.payload, { user }));
  };
  return {
    user,
    say,
    press: (payload: string) => send(press(payload, { user })),
    pressLabel,
    /** `/forget`, then the confirmation button. */
    forget: async () => pressLabel(await say('/forget'), 'forget.yes'),
  };
}

async function leaveDataEverywhere(server: TestServer['server'], session: string) {
  const u = webchatUser(server, session);
  await u.say('/start');
  // Through the HTTP route too: inbox entry and dedupe mark keyed by the session.
  const posted = await server.app.inject({
    method: 'POST',
    url: '/chat/api/messages',
    payload: { session, id: 'http-1', text: 'xin chào' },
  });
  expect(posted.statusCode).toBe(202);
  await server.drain();
  // A lesson started (progress kept in the user record).
  const lessonList = await u.say('/learn');
  const firstLesson = buttonsOf(lessonList)[0];
  expect(firstLesson).toBeDefined();
  await u.press(firstLesson!.payload);
  // An offer checked (contact in it) and a subscription to its cluster's label.
  const checked = await u.say(OFFER);
  const subscribeLabel = server.engine.texts.t('vi', 'offer_memory.subscribe_button');
  const subscribe = buttonsOf(checked).find((b) => b.label === subscribeLabel);
  if (subscribe) await u.press(subscribe.payload);
  else {
    const clusters = await server.offerMemory.list(5);
    await server.offerMemory.subscribe(clusters.clusters[0]!.id, {
      channel: 'webchat',
      userId: session,
      chatId: session,
      locale: 'vi',
    });
  }
  return u;
}

describe('/forget', () => {
  it('erases everything about a web chat user from every store, and confirms', async () => {
    const server = await boot();
    const session = 'forgetmesessionaaaaaaaaaaaa1';
    const u = await leaveDataEverywhere(server, session);
    const redis = server.container.redis!;
    const needles = [session, server.container.pseudonym(u.user)];
    const before = keysMentioning(await scanPrefix(redis, t!.prefix), needles);
    // The stores really hold the person before: the record and the subscription at least.
    expect(before.map((k) => k.key).join('\n')).toMatch(/\{u:webchat:/);
    expect(before.some((k) => k.key.includes(':om:su:'))).toBe(true);

    const confirmation = await u.forget();
    expect(confirmation.map((r) => r.text)).toContain(server.engine.texts.t('vi', 'forget.done'));

    const after = keysMentioning(await scanPrefix(redis, t!.prefix), needles);
    expect(after.map((k) => `${k.key} ${k.content.slice(0, 120)}`)).toEqual([]);
    // The browser still gets its confirmation: it waits under a digest of the session only.
    const mailbox = await server.mailbox.readAfter(session, undefined, 100);
    expect(mailbox.map((i) => i.reply.text)).toEqual([server.engine.texts.t('vi', 'forget.done')]);
  });

  it('keeps an open case (marked for the operator) and clears it from the person once resolved', async () => {
    const server = await boot();
    const session = 'forgetmesessionbbbbbbbbbbbb2';
    const u = await leaveDataEverywhere(server, session);
    await u.say(DISTRESS);
    const open = await server.container.cases.getOpenForUser(u.user);
    expect(open).not.toBeNull();

    const reply = await u.forget();
    expect(reply.map((r) => r.text)).toContain(server.engine.texts.t('vi', 'forget.case_kept'));
    const kept = await server.container.cases.get(open!.id);
    expect(kept).toMatchObject({ forgetRequested: true, userId: session });
    expect((await server.container.cases.readAudit(open!.id)).map((a) => a.action)).toContain(
      'forget_requested',
    );

    const redis = server.container.redis!;
    const needles = [session, server.container.pseudonym(u.user)];
    const left = keysMentioning(await scanPrefix(redis, t!.prefix), needles);
    // Only the case itself and its open-case index still know the person.
    expect(left.every((k) => k.key.includes(':{cases}:'))).toBe(true);

    // An operator resolves it through the API: the transcript and the person's ids go.
    const { secret } = await server.container.operators.add('sup', 'supervisor', Date.now());
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/operator/login',
      payload: { name: 'sup', secret },
    });
    const cookie = `smb_op=${login.cookies.find((c) => c.name === 'smb_op')!.value}`;
    const headers = { cookie, 'x-csrf-token': login.json().csrfToken as string };
    const resolved = await server.app.inject({
      method: 'POST',
      url: `/api/operator/cases/${open!.id}/resolve`,
      headers,
      payload: { outcome: 'advice_given' },
    });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json().case).toMatchObject({ state: 'resolved', userId: 'forgotten', notes: [] });
    await server.drain();
    const closed = await server.container.cases.get(open!.id);
    expect(closed).toMatchObject({ transcript: [], intake: {}, userId: 'forgotten', chatId: 'forgotten' });
    expect(closed?.outcome).toBe('advice_given');
    expect((await server.container.cases.readAudit(open!.id)).at(-1)?.action).toBe('person_forgotten');
    const afterResolve = keysMentioning(await scanPrefix(redis, t!.prefix), needles);
    expect(afterResolve.map((k) => `${k.key} ${k.content.slice(0, 120)}`)).toEqual([]);
  });

  it('clears the person from their already resolved cases too', async () => {
    const server = await boot();
    const session = 'forgetmesessioncccccccccccc3';
    const u = webchatUser(server, session);
    await u.say('/start');
    await u.say(DISTRESS);
    const c = await server.container.cases.getOpenForUser(u.user);
    await server.container.cases.resolve(c!.id, undefined, 'advice_given', Date.now());
    expect((await server.container.cases.get(c!.id))?.transcript.length).toBeGreaterThan(0);
    await u.forget();
    const needles = [session, server.container.pseudonym(u.user)];
    const left = keysMentioning(await scanPrefix(server.container.redis!, t!.prefix), needles);
    expect(left.map((k) => k.key)).toEqual([]);
    expect(await server.container.cases.get(c!.id)).toMatchObject({ transcript: [], userId: 'forgotten' });
  });

  it('on Telegram: message-id lists, dedupe marks and the record go, and the confirmation leaves no id behind', async () => {
    fake = await new FakeTelegramApi().start();
    const secret = 'forget_test_secret_0123';
    const server = await boot({
      TELEGRAM_BOT_TOKEN: '123456:FORGET-TEST-abcdefghijklmnopqrstu',
      TELEGRAM_WEBHOOK_SECRET: secret,
      TELEGRAM_API_ROOT: fake.url,
    });
    const userId = 66554433;
    let update = 7000;
    const post = async (text: string) => {
      const res = await server.app.inject({
        method: 'POST',
        url: '/webhooks/telegram',
        headers: { 'x-telegram-bot-api-secret-token': secret },
        payload: telegramTextUpdate(update++, userId, text),
      });
      expect(res.statusCode).toBe(200);
      await server.drain();
    };
    await post('/start');
    await post(OFFER);
    const user: UserRef = { channel: 'telegram', id: String(userId) };
    const record = await server.container.users.getAll(user);
    expect(record.to).toBeDefined();
    await post('/forget');
    const confirm = fake.callsOf('sendMessage').at(-1)!;
    const keyboard = (
      confirm.params.reply_markup as {
        inline_keyboard: Array<Array<{ text: string; callback_data: string }>>;
      }
    ).inline_keyboard;
    const yes = keyboard.flat().find((b) => b.text === server.engine.texts.t('vi', 'forget.yes'))!;
    const pressed = await server.app.inject({
      method: 'POST',
      url: '/webhooks/telegram',
      headers: { 'x-telegram-bot-api-secret-token': secret },
      payload: {
        update_id: update++,
        callback_query: {
          id: 'cbq-forget',
          from: { id: userId, is_bot: false, first_name: 'Lan', language_code: 'vi' },
          chat_instance: '1',
          message: {
            message_id: 1,
            date: Math.floor(Date.now() / 1000),
            chat: { id: userId, type: 'private' },
          },
          data: yes.callback_data,
        },
      },
    });
    expect(pressed.statusCode).toBe(200);
    await server.drain();
    const texts = fake.callsOf('sendMessage').map((c) => String(c.params.text));
    expect(texts.at(-1)).toBe(server.engine.texts.t('vi', 'forget.done'));
    const needles = [String(userId), server.container.pseudonym(user)];
    const left = keysMentioning(await scanPrefix(server.container.redis!, t!.prefix), needles);
    expect(left.map((k) => `${k.key} ${k.content.slice(0, 120)}`)).toEqual([]);
  });
});
