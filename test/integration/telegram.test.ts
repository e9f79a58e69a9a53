import { afterEach, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/adapters/redis/redis-client.js';
import { TELEGRAM_USER_FIELDS } from '../../src/adapters/telegram/telegram-message-log.js';
import { manageWebhook } from '../../src/adapters/telegram/telegram-webhook-admin.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { createServer, type Server } from '../../src/server.js';
import { FakeTelegramApi, type RecordedCall } from '../fakes/telegram-api.js';
import { cleanPrefix, randomPrefix, testRedisUrl } from '../support/redis.js';

const TOKEN = '123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz';
const SECRET = 'test_secret-0123456789';
const USER = { id: 777001, is_bot: false, first_name: 'Lan', language_code: 'en' };
const SCAM_OFFER =
  'Tuyển gấp 10 bạn nữ 18-25 tuổi sang Campuchia làm phục vụ casino, việc nhẹ lương cao 30 triệu/tháng, ' +
  'không cần kinh nghiệm, không cần biết tiếng, bao vé máy bay và ăn ở, đi ngay trong tuần, ' +
  'công ty giữ hộ chiếu cho an toàn. Liên hệ Zalo 0912345678.';

let counter = 0;
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

interface Harness {
  fake: FakeTelegramApi;
  prefix: string;
  boot(options?: { workers?: boolean }): Promise<{ server: Server; url: string }>;
  config(extra?: Record<string, string>): ReturnType<typeof loadConfig>;
  /** A server started as a worker node (no HTTP listener), as `npm start` would with ROLE=worker. */
  startWorker(extra: Record<string, string>): Promise<Server>;
}

async function harness(): Promise<Harness> {
  const fake = await new FakeTelegramApi().start();
  const prefix = randomPrefix('tg');
  const servers: Server[] = [];
  cleanups.push(async () => {
    for (const s of servers) await s.stop().catch(() => undefined);
    const redis = connectRedis(testRedisUrl());
    await cleanPrefix(redis, prefix);
    await redis.quit();
    await fake.close();
  });
  const config = (extra: Record<string, string> = {}) =>
    loadConfig({
      NODE_ENV: 'test',
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.url,
      LOG_LEVEL: 'silent',
      ...extra,
    });
  return {
    fake,
    prefix,
    config,
    async startWorker(extra) {
      const server = await createServer(config({ ROLE: 'worker', ...extra }), createLogger('silent'), {
        instanceId: `tg-${counter++}`,
      });
      servers.push(server);
      await server.start();
      return server;
    },
    async boot(options = {}) {
      const server = await createServer(config(), createLogger('silent'), { instanceId: `tg-${counter++}` });
      servers.push(server);
      await server.app.listen({ port: 0, host: '127.0.0.1' });
      const address = server.app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      if (options.workers) server.startWorkers();
      return { server, url: `http://127.0.0.1:${port}` };
    },
  };
}

let updateId = 5000;
let messageId = 1;

function message(text: string, extra: Record<string, unknown> = {}) {
  const command = /^\/\w+/.exec(text)?.[0];
  return {
    update_id: updateId++,
    message: {
      message_id: messageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: USER.id, type: 'private', first_name: 'Lan' },
      from: USER,
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
      ...extra,
    },
  };
}

function press(data: string, onMessageId: number) {
  return {
    update_id: updateId++,
    callback_query: {
      id: `cbq${updateId}`,
      from: USER,
      chat_instance: '42',
      message: {
        message_id: onMessageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: USER.id, type: 'private' },
      },
      data,
    },
  };
}

async function post(url: string, update: unknown, secret: string | null = SECRET): Promise<number> {
  const response = await fetch(`${url}/webhooks/telegram`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret !== null ? { 'x-telegram-bot-api-secret-token': secret } : {}),
    },
    body: typeof update === 'string' ? update : JSON.stringify(update),
  });
  await response.arrayBuffer();
  return response.status;
}

type Keyboard = Array<Array<{ text: string; callback_data?: string; url?: string }>>;

function keyboardOf(call: RecordedCall | undefined): Keyboard {
  return ((call?.params.reply_markup as { inline_keyboard?: Keyboard } | undefined)?.inline_keyboard ??
    []) as Keyboard;
}

function sentIds(calls: RecordedCall[]): number[] {
  return calls
    .filter((c) => c.method === 'sendMessage' && c.outcome === 'ok')
    .map((c) => (c.result as { message_id: number }).message_id);
}

describe('Telegram channel end to end (real HTTP, real Redis, fake Bot API)', () => {
  it('answers /start with the menu and an inline keyboard', async () => {
    const h = await harness();
    const { server, url } = await h.boot();
    expect(await post(url, message('/start'))).toBe(200);
    await server.drain();
    const sends = h.fake.callsOf('sendMessage');
    expect(sends).toHaveLength(1);
    expect(String(sends[0]!.params.chat_id)).toBe(String(USER.id));
    expect(sends[0]!.params.text).toBe(server.engine.texts.t('en', 'welcome.text'));
    const keyboard = keyboardOf(sends[0]);
    expect(keyboard.length).toBeGreaterThanOrEqual(3);
    for (const row of keyboard) {
      for (const button of row) expect(Buffer.byteLength(button.callback_data ?? '')).toBeLessThanOrEqual(64);
    }
    expect(keyboard.flat().map((b) => b.text)).toContain(server.engine.texts.t('en', 'menu.check_offer'));
  });

  it('answers a button press with answerCallbackQuery and shows the next node', async () => {
    const h = await harness();
    const { server, url } = await h.boot();
    await post(url, message('/start'));
    await server.drain();
    const menu = h.fake.callsOf('sendMessage')[0]!;
    const checkButton = keyboardOf(menu)
      .flat()
      .find((b) => b.text === server.engine.texts.t('en', 'menu.check_offer'))!;
    const pressed = press(checkButton.callback_data!, (menu.result as { message_id: number }).message_id);
    expect(await post(url, pressed)).toBe(200);
    await server.drain();

    const answers = h.fake.callsOf('answerCallbackQuery');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.params.callback_query_id).toBe(pressed.callback_query.id);
    const sends = h.fake.callsOf('sendMessage');
    expect(sends).toHaveLength(2);
    expect(sends[1]!.params.text).toBe(server.engine.texts.t('en', 'offer.ask'));
  });

  it('checks a forwarded job offer whatever the conversation was doing', async () => {
    const h = await harness();
    const { server, url } = await h.boot();
    await post(url, message('/start'));
    const forwarded = message(SCAM_OFFER, {
      forward_origin: { type: 'hidden_user', sender_user_name: 'Tuyen dung', date: 1_760_000_000 },
    });
    await post(url, forwarded);
    await server.drain();
    const texts = h.fake.callsOf('sendMessage').map((c) => String(c.params.text));
    expect(texts.length).toBeGreaterThanOrEqual(2);
    const verdict = texts.slice(1).find((t) => t.includes('Risk: HIGH'));
    expect(verdict).toBeDefined();
    // Scam links and numbers in a check result must not get a preview card.
    for (const call of h.fake.callsOf('sendMessage')) {
      expect(call.params.link_preview_options).toEqual({ is_disabled: true });
    }
  });

  it('replies once to the same update delivered twice', async () => {
    const h = await harness();
    const { server, url } = await h.boot();
    const update = message('/start');
    expect(await post(url, update)).toBe(200);
    expect(await post(url, update)).toBe(200);
    await server.drain();
    expect(h.fake.callsOf('sendMessage')).toHaveLength(1);
  });

  it('refuses a wrong or missing secret with 401 and stores nothing', async () => {
    const h = await harness();
    const { server, url } = await h.boot();
    expect(await post(url, message('/start'), 'not-the-secret')).toBe(401);
    expect(await post(url, message('/start'), null)).toBe(401);
    expect(await post(url, message('/start'), `${SECRET}x`)).toBe(401);
    await server.drain();
    expect(h.fake.calls).toHaveLength(0);
    expect((await server.container.inbox.depth()).pending).toBe(0);
  });

  it('honours retry_after on a 429 and still delivers the reply', async () => {
    const h = await harness();
    const { server, url } = await h.boot();
    h.fake.failNext('sendMessage', 1, {
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
    await post(url, message('/start'));
    await server.drain();
    const sends = h.fake.callsOf('sendMessage');
    expect(sends.map((c) => c.outcome)).toEqual([429, 'ok']);
    expect(sends[1]!.params.text).toBe(sends[0]!.params.text);
    // Behaviour, not speed: the retry did not come before Telegram allowed it (small clock slack).
    expect(sends[1]!.at).toBeGreaterThanOrEqual(sends[0]!.at + 1000 - 30);
  });

  it('quick exit deletes the remembered messages of both sides, then sends the neutral line', async () => {
    const h = await harness();
    const { server, url } = await h.boot();
    const first = message('/start');
    const second = message('hello');
    const exit = message('/exit');
    await post(url, first);
    await server.drain();
    await post(url, second);
    await server.drain();
    const botIdsBefore = sentIds(h.fake.calls);
    expect(botIdsBefore.length).toBeGreaterThanOrEqual(2);
    await post(url, exit);
    await server.drain();

    const deletions = h.fake.callsOf('deleteMessages');
    expect(deletions).toHaveLength(1);
    const deleted = deletions[0]!.params.message_ids as number[];
    expect(deleted.length).toBeLessThanOrEqual(100);
    const userIds = [first, second, exit].map((u) => u.message.message_id);
    expect([...deleted].sort((a, b) => a - b)).toEqual([...userIds, ...botIdsBefore].sort((a, b) => a - b));

    const deleteAt = h.fake.calls.indexOf(deletions[0]!);
    const after = h.fake.calls.slice(deleteAt + 1).filter((c) => c.method === 'sendMessage');
    expect(after.map((c) => c.params.text)).toEqual([server.engine.texts.t('en', 'exit.done')]);

    // The deleted ids are forgotten: only the neutral line is left to delete next time.
    const record = await server.container.users.getAll({ channel: 'telegram', id: String(USER.id) });
    expect(record[TELEGRAM_USER_FIELDS.inboundIds]).toBeUndefined();
    expect(record[TELEGRAM_USER_FIELDS.outboundIds]?.split(',')).toHaveLength(1);
  });

  it('answers updates stored while no worker ran, once a worker starts (restart)', async () => {
    const h = await harness();
    const a = await h.boot();
    expect(await post(a.url, message('/start'))).toBe(200);
    expect(await post(a.url, message('/help'))).toBe(200);
    await a.server.stop();
    expect(h.fake.callsOf('sendMessage')).toHaveLength(0);

    const b = await h.boot({ workers: true });
    await h.fake.waitFor((calls) => calls.filter((c) => c.method === 'sendMessage').length >= 2);
    const texts = h.fake.callsOf('sendMessage').map((c) => c.params.text);
    expect(texts).toEqual([
      b.server.engine.texts.t('en', 'welcome.text'),
      b.server.engine.texts.t('en', 'help.text'),
    ]);
  });
});

describe('Telegram webhook edge cases', () => {
  it('acknowledges unknown update kinds without storing them, and rejects non-updates', async () => {
    const h = await harness();
    const { server, url } = await h.boot();
    expect(await post(url, { update_id: 1, channel_post: { message_id: 1 } })).toBe(200);
    expect(await post(url, { hello: 'world' })).toBe(400);
    expect(await post(url, '{"update_id": 1,')).toBe(400);
    expect(await post(url, { update_id: 2, message: { text: 'x'.repeat(300 * 1024) } })).toBe(413);
    expect((await server.container.inbox.depth()).pending).toBe(0);
  });

  it('deletes in batches of 100 and never in a group', async () => {
    const h = await harness();
    const { server } = await h.boot();
    const outbox = server.container.outbox('telegram');
    const ids = Array.from({ length: 150 }, (_, i) => i + 1);
    const action = (id: string, chatId: string) =>
      JSON.stringify({
        v: 1,
        id,
        channel: 'telegram',
        chatId,
        userId: String(USER.id),
        reply: { text: '' },
        createdAt: Date.now(),
        action: { kind: 'delete_messages', data: { ids } },
      });
    await outbox.add(action('qx-private', String(USER.id)));
    await outbox.add(action('qx-group', '-100555'));
    await server.drain();
    const calls = h.fake.callsOf('deleteMessages');
    expect(calls.map((c) => (c.params.message_ids as number[]).length)).toEqual([100, 50]);
    expect(calls.every((c) => String(c.params.chat_id) === String(USER.id))).toBe(true);
  });

  it('never answers 429, however fast updates come', async () => {
    const h = await harness();
    const { url } = await h.boot();
    const statuses = await Promise.all(Array.from({ length: 80 }, (_, i) => post(url, message(`tin ${i}`))));
    expect(new Set(statuses)).toEqual(new Set([200]));
  });

  it('refuses to post case or operator messages into a group, but sends them in private', async () => {
    const h = await harness();
    const { server } = await h.boot();
    const outbox = server.container.outbox('telegram');
    const envelope = (id: string, chatId: string, extra: Record<string, unknown>) =>
      JSON.stringify({
        v: 1,
        id,
        channel: 'telegram',
        chatId,
        userId: String(USER.id),
        reply: { text: 'Case 12: details', from: 'operator' },
        createdAt: Date.now(),
        ...extra,
      });
    await outbox.add(envelope('g1', '-100555', { caseId: 'c12' }));
    await outbox.add(envelope('g2', '-100555', {}));
    await outbox.add(envelope('p1', String(USER.id), { caseId: 'c12' }));
    await server.drain();
    const sends = h.fake.callsOf('sendMessage');
    expect(sends.map((c) => String(c.params.chat_id))).toEqual([String(USER.id)]);
  });

  it('marks a user who blocked the bot as unreachable and tells the hook', async () => {
    const h = await harness();
    const { server, url } = await h.boot();
    const told: string[] = [];
    const adapter = server.adapters.get('telegram') as unknown as {
      onUndeliverable: (e: { userId: string }, err: { code: string }) => Promise<void>;
    };
    adapter.onUndeliverable = async (envelope, error) => {
      told.push(`${envelope.userId}:${error.code}`);
    };
    h.fake.failNext('sendMessage', 1, {
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    await post(url, message('/start'));
    await server.drain();
    expect(h.fake.callsOf('sendMessage')).toHaveLength(1);
    expect(told).toEqual([`${USER.id}:TELEGRAM_BLOCKED`]);
    const record = await server.container.users.getAll({ channel: 'telegram', id: String(USER.id) });
    expect(record[TELEGRAM_USER_FIELDS.unreachable]).toMatch(/^\d+$/);
  });
});

describe('Telegram start-up, polling and webhook registration', () => {
  it('registers the command menu in vi and en at start and answers updates fetched by polling', async () => {
    const h = await harness();
    h.fake.pushUpdate(message('/start'));
    await h.startWorker({ TELEGRAM_MODE: 'polling' });
    await h.fake.waitFor((calls) => calls.some((c) => c.method === 'sendMessage'));
    await h.fake.waitFor((calls) => calls.filter((c) => c.method === 'setMyCommands').length === 3);
    const menus = h.fake.callsOf('setMyCommands');
    expect(menus.map((c) => c.params.language_code ?? 'default').sort()).toEqual(['default', 'en', 'vi']);
    const en = menus.find((c) => c.params.language_code === 'en')!;
    expect((en.params.commands as Array<{ command: string }>).map((c) => c.command)).toEqual(
      expect.arrayContaining(['start', 'menu', 'help', 'lang', 'hotlines', 'exit', 'forget']),
    );
    expect(h.fake.callsOf('getMe')).toHaveLength(1);
    // Polling mode removes a webhook first (Telegram refuses getUpdates while one is set).
    const deleteAt = h.fake.calls.findIndex((c) => c.method === 'deleteWebhook');
    const pollAt = h.fake.calls.findIndex((c) => c.method === 'getUpdates');
    expect(deleteAt).toBeGreaterThanOrEqual(0);
    expect(pollAt).toBeGreaterThan(deleteAt);
    expect(h.fake.callsOf('sendMessage')).toHaveLength(1);
    // The offset moves on: the same update is not fetched (or answered) twice.
    await h.fake.waitFor((calls) => calls.filter((c) => c.method === 'getUpdates').length >= 3);
    expect(h.fake.callsOf('getUpdates').at(-1)!.params.offset).toBeGreaterThan(0);
    expect(h.fake.callsOf('sendMessage')).toHaveLength(1);
  });

  it('sets the webhook with the secret and the update kinds the bot reads', async () => {
    const h = await harness();
    const config = h.config({ PUBLIC_BASE_URL: 'https://bot.example.org/' });
    const result = await manageWebhook(config.telegram!, config.http.publicBaseUrl, 'set');
    expect(result).toMatchObject({ ok: true, url: 'https://bot.example.org/webhooks/telegram' });
    const [call] = h.fake.callsOf('setWebhook');
    expect(call!.params).toMatchObject({
      url: 'https://bot.example.org/webhooks/telegram',
      secret_token: SECRET,
      allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
    });
    await manageWebhook(config.telegram!, undefined, 'info');
    await manageWebhook(config.telegram!, undefined, 'delete');
    expect(h.fake.calls.map((c) => c.method)).toEqual(['setWebhook', 'getWebhookInfo', 'deleteWebhook']);
    await expect(manageWebhook(config.telegram!, undefined, 'set')).rejects.toThrow(/PUBLIC_BASE_URL/);
  });
});

describe('escalation on Telegram (real HTTP, real Redis, fake Bot API)', () => {
  it('gives the safety reply and a waiting case; the operator’s words reach the user; a block marks the case unreachable', async () => {
    const h = await harness();
    const { server, url } = await h.boot({ workers: true });
    expect(
      await post(url, message('please help me, they locked me in a room in Myawaddy and took my passport')),
    ).toBe(200);
    const first = await h.fake.waitFor(
      (calls) => calls.filter((c) => c.method === 'sendMessage').length >= 3,
    );
    const texts = first.filter((c) => c.method === 'sendMessage').map((c) => String(c.params.text));
    expect(texts[0]).toContain('+84 981 84 84 84');
    expect(texts[1]).toBe(server.engine.texts.t('en', 'safety.alerted'));
    const [waiting] = await server.container.cases.list('waiting');
    expect(waiting).toMatchObject({ level: 'imminent', channel: 'telegram', userId: String(USER.id) });

    const { secret } = await server.container.operators.add('mai', 'operator', Date.now());
    const headers = { authorization: `Bearer ${secret}` };
    expect(
      (await server.app.inject({ method: 'POST', url: `/api/operator/cases/${waiting!.id}/claim`, headers }))
        .statusCode,
    ).toBe(200);
    const sent = await server.app.inject({
      method: 'POST',
      url: `/api/operator/cases/${waiting!.id}/messages`,
      headers,
      payload: { text: 'We are here. Are you safe to write now?' },
    });
    expect(sent.statusCode).toBeLessThan(300);
    const relayed = await h.fake.waitFor((calls) =>
      calls.some(
        (c) =>
          c.method === 'sendMessage' &&
          String(c.params.text).endsWith('We are here. Are you safe to write now?'),
      ),
    );
    const toUser = relayed.find((c) =>
      String(c.params.text).endsWith('We are here. Are you safe to write now?'),
    )!;
    expect(String(toUser.params.chat_id)).toBe(String(USER.id));
    expect(String(toUser.params.text)).toContain('Hotline team');

    // The person blocks the bot: the next operator message cannot be delivered, and the case says so.
    h.fake.failNext('sendMessage', 1, {
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    await server.app.inject({
      method: 'POST',
      url: `/api/operator/cases/${waiting!.id}/messages`,
      headers,
      payload: { text: 'Are you still there?' },
    });
    const c = await (async () => {
      for (let i = 0; i < 100; i++) {
        const current = await server.container.cases.get(waiting!.id);
        if (current?.unreachable) return current;
        await new Promise((r) => setTimeout(r, 50));
      }
      return server.container.cases.get(waiting!.id);
    })();
    expect(c?.unreachable).toBeTruthy();
    expect(c?.transcript.filter((e) => e.from === 'operator').map((e) => e.delivery)).toEqual([
      'sent',
      'failed',
    ]);
  });
});

describe('Telegram groups keep apart from the private conversation', () => {
  const GROUP_CHAT = { id: -100888, type: 'supergroup', title: 'Gia đình' };
  /** The bot's id is the token's first part; a reply to the bot's message is addressed to it. */
  const BOT_ID = Number(TOKEN.split(':')[0]);

  function inGroup(text: string) {
    return {
      update_id: updateId++,
      message: {
        message_id: messageId++,
        date: Math.floor(Date.now() / 1000),
        chat: GROUP_CHAT,
        from: USER,
        text,
        reply_to_message: {
          message_id: 1,
          date: 1,
          chat: GROUP_CHAT,
          from: { id: BOT_ID, is_bot: true, first_name: 'Bot' },
        },
      },
    };
  }

  it('neither reads group words into the person’s open case nor moves their private conversation on', async () => {
    const h = await harness();
    const { server, url } = await h.boot({ workers: true });
    // In private: the person asks for help and a case opens.
    await post(url, message('please help me, they locked me in a room in Myawaddy and took my passport'));
    await h.fake.waitFor((calls) => calls.filter((c) => c.method === 'sendMessage').length >= 3);
    const [open] = await server.container.cases.list('waiting');
    expect(open).toBeDefined();
    const before = (await server.container.cases.get(open!.id))!.transcript.length;
    const privateState = await server.container.users.get(
      { channel: 'telegram', id: String(USER.id) },
      'state',
    );

    // In a family group the same person asks the bot about an offer.
    const sendsBefore = h.fake.callsOf('sendMessage').length;
    expect(await post(url, inGroup(SCAM_OFFER))).toBe(200);
    const calls = await h.fake.waitFor(
      (all) => all.filter((c) => c.method === 'sendMessage').length > sendsBefore,
    );
    await server.drain();
    const toGroup = calls.filter(
      (c) => c.method === 'sendMessage' && String(c.params.chat_id) === String(GROUP_CHAT.id),
    );
    // The group gets the offer check, nothing about the case.
    expect(toGroup.some((c) => String(c.params.text).includes('Risk: HIGH'))).toBe(true);
    const after = await server.container.cases.get(open!.id);
    expect(after!.transcript).toHaveLength(before);
    expect(after!.transcript.map((e) => e.text ?? '').join('\n')).not.toContain('Campuchia');
    expect(await server.container.users.get({ channel: 'telegram', id: String(USER.id) }, 'state')).toEqual(
      privateState,
    );
  });

  it('opens no case from a group, where asking for a person gets the numbers and a word to write privately', async () => {
    const h = await harness();
    const { server, url } = await h.boot({ workers: true });
    // "/human" in the group, then a sentence on the help node (which asks for a person).
    expect(await post(url, inGroup('/human'))).toBe(200);
    await h.fake.waitFor((all) => all.filter((c) => c.method === 'sendMessage').length >= 1);
    await server.drain();
    const sendsBefore = h.fake.callsOf('sendMessage').length;
    expect(await post(url, inGroup('my friend did not come back from the job'))).toBe(200);
    await h.fake.waitFor((all) => all.filter((c) => c.method === 'sendMessage').length >= sendsBefore + 2);
    await server.drain();
    expect(await server.container.cases.list('waiting')).toEqual([]);
    const toGroup = h.fake
      .callsOf('sendMessage')
      .slice(sendsBefore)
      .map((c) => String(c.params.text));
    expect(toGroup.join('\n')).not.toMatch(/counsellor has been told|safe to write/i);
    expect(toGroup.join('\n')).toContain('Write to me privately');
  });
});
