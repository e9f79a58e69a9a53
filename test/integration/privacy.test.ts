import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDocumentedWithoutTtl, KEYS_WITHOUT_TTL } from '../../src/adapters/redis/keys.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { createServer, type Server } from '../../src/server.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { cleanPrefix, openTestRedis, randomPrefix, testRedisUrl } from '../support/redis.js';
import { type ScannedKey, scanPrefix } from '../support/redis-scan.js';
import { telegramTextUpdate } from '../support/telegram-webhook.js';

/**
 * Real flows with the logger at debug level writing to a captured stream: web chat over HTTP, the
 * Telegram webhook with a fake Bot API, an offer check with a phone number, an escalation, an
 * operator's login, claim, message and resolve, and the assess API. Then: no log line holds a
 * message, a phone number, a token, a secret or a raw user id; and every Redis key the flows left
 * expires, except the documented ones (src/runtime/retention.ts).
 */

const TOKEN = '123456:PRIVACY-TEST-abcdefghijklmnopqrstuv';
const WEBHOOK_SECRET = 'privacy_webhook_secret_4711';
const HASH_SECRET = 'privacy-hash-secret-0123456789';
const API_KEY = 'privacy-partner-key-98765';
const TG_USER = 918273645;
const SESSION = 'privacysessionzzzzzzzzzzzz01';
const PHONE = '0912 345 678';
const PHONE_DIGITS = '0912345678';
const OFFER = `Tuyển gấp nữ 18-25 tuổi sang Campuchia làm CSKH, lương 30 triệu/tháng, bao vé máy bay, giữ hộ chiếu. Gọi ${PHONE}.`;
const DISTRESS = 'cứu tôi với, họ nhốt tôi trong phòng và đánh tôi';
const WEB_TEXT = 'Con tôi nhận được tin tuyển dụng lạ, gọi 0987 654 321 để biết thêm';
const OPERATOR_TEXT = 'Chào bạn, mình là tư vấn viên, bạn đang ở đâu?';
const NOTE_TEXT = 'Người này ở Sihanoukville';

let server: Server;
let fake: FakeTelegramApi;
const lines: string[] = [];
const prefix = randomPrefix('priv');
let scanned: ScannedKey[] = [];
const secretsSeen: string[] = [];

async function telegram(update: Record<string, unknown>) {
  const res = await server.app.inject({
    method: 'POST',
    url: '/webhooks/telegram',
    headers: { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
    payload: update,
  });
  expect(res.statusCode).toBe(200);
  await server.drain();
}

let updateId = 31_000;
function tgText(text: string) {
  updateId += 1;
  return telegramTextUpdate(updateId, TG_USER, text);
}

beforeAll(async () => {
  fake = await new FakeTelegramApi().start();
  const config = loadConfig({
    NODE_ENV: 'test',
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: prefix,
    HASH_SECRET,
    LOG_LEVEL: 'debug',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_API_ROOT: fake.url,
    ASSESS_API_KEYS: API_KEY,
  });
  const logger = createLogger('debug', {
    write(line: string) {
      lines.push(line);
    },
  });
  server = await createServer(config, logger, { instanceId: 'privacy' });
  await server.app.ready();

  // Web chat over HTTP: a message with a phone number, then an offer.
  for (const [id, text] of [
    ['w1', '/start'],
    ['w2', WEB_TEXT],
    ['w3', OFFER],
  ] as const) {
    const res = await server.app.inject({
      method: 'POST',
      url: '/chat/api/messages',
      payload: { session: SESSION, id, text },
    });
    expect(res.statusCode).toBe(202);
    await server.drain();
  }
  // Telegram: start, an offer with a phone number, a cry for help (a case), a wrong secret.
  await telegram(tgText('/start'));
  // The Bot API stumbles: a 500 (retried) and a refusal (given up): both are logged.
  fake.failNext('sendMessage', 1, { httpStatus: 500 });
  await telegram(tgText(OFFER));
  fake.failNext('sendMessage', 1, { error_code: 400, description: 'Bad Request: chat not found' });
  await telegram(tgText('/help'));
  // A malformed web chat post and an unsigned Zalo-like post are refused (and may be logged).
  await server.app.inject({
    method: 'POST',
    url: '/chat/api/messages',
    payload: { session: SESSION, text: OFFER },
  });
  await telegram(tgText(DISTRESS));
  const bad = await server.app.inject({
    method: 'POST',
    url: '/webhooks/telegram',
    headers: { 'x-telegram-bot-api-secret-token': 'wrong-secret-value-123' },
    payload: tgText('hello'),
  });
  expect(bad.statusCode).toBe(401);
  const c = await server.container.cases.getOpenForUser({ channel: 'telegram', id: String(TG_USER) });
  expect(c).not.toBeNull();

  // An operator works the case through the API.
  const { secret } = await server.container.operators.add('lan', 'supervisor', Date.now());
  secretsSeen.push(secret);
  const failed = await server.app.inject({
    method: 'POST',
    url: '/api/operator/login',
    payload: { name: 'lan', secret: 'a-wrong-guess-000111' },
  });
  expect(failed.statusCode).toBe(401);
  const login = await server.app.inject({
    method: 'POST',
    url: '/api/operator/login',
    payload: { name: 'lan', secret },
  });
  const sessionId = login.cookies.find((k) => k.name === 'smb_op')!.value;
  const csrf = login.json().csrfToken as string;
  secretsSeen.push(sessionId, csrf);
  const headers = { cookie: `smb_op=${sessionId}`, 'x-csrf-token': csrf };
  const base = `/api/operator/cases/${c!.id}`;
  expect((await server.app.inject({ method: 'POST', url: `${base}/claim`, headers })).statusCode).toBe(200);
  const sent = await server.app.inject({
    method: 'POST',
    url: `${base}/messages`,
    headers,
    payload: { text: OPERATOR_TEXT },
  });
  expect(sent.statusCode).toBe(200);
  await server.app.inject({ method: 'POST', url: `${base}/notes`, headers, payload: { text: NOTE_TEXT } });
  await server.drain();
  await server.app.inject({
    method: 'POST',
    url: `${base}/resolve`,
    headers,
    payload: { outcome: 'advice_given' },
  });
  await server.drain();

  // A partner's offer check.
  const assessed = await server.app.inject({
    method: 'POST',
    url: '/api/v1/assess',
    headers: { authorization: `Bearer ${API_KEY}` },
    payload: { text: OFFER },
  });
  expect(assessed.statusCode).toBe(200);
  await server.retention.run();

  const redis = openTestRedis();
  scanned = await scanPrefix(redis, prefix);
  redis.disconnect();
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await fake?.close();
  const redis = openTestRedis();
  await cleanPrefix(redis, prefix);
  redis.disconnect();
});

describe('privacy in real flows', () => {
  it('the flows happened and were logged at debug level', () => {
    expect(fake.callsOf('sendMessage').length).toBeGreaterThan(3);
    expect(lines.length).toBeGreaterThanOrEqual(3);
  });

  it('no log line holds message text, a phone number, a token, a secret or a raw user id', () => {
    const forbidden: Record<string, string> = {
      offer: OFFER.slice(0, 30),
      distress: DISTRESS.slice(0, 20),
      webText: WEB_TEXT.slice(0, 25),
      operatorText: OPERATOR_TEXT.slice(0, 20),
      note: NOTE_TEXT,
      phone: PHONE,
      phoneDigits: PHONE_DIGITS,
      otherPhone: '0987 654 321',
      otherPhoneDigits: '0987654321',
      botToken: TOKEN,
      botTokenSecretPart: TOKEN.split(':')[1]!,
      webhookSecret: WEBHOOK_SECRET,
      wrongSecret: 'wrong-secret-value-123',
      hashSecret: HASH_SECRET,
      apiKey: API_KEY,
      guessedSecret: 'a-wrong-guess-000111',
      telegramUserId: String(TG_USER),
      webchatSession: SESSION,
      ...Object.fromEntries(secretsSeen.map((s, i) => [`operatorSecret${i}`, s])),
    };
    const leaks = Object.entries(forbidden).flatMap(([what, needle]) =>
      lines.filter((line) => line.includes(needle)).map((line) => `${what}: ${line.slice(0, 200)}`),
    );
    expect(leaks).toEqual([]);
  });

  it('users appear in logs only as keyed pseudonyms', () => {
    const pseudonym = server.container.pseudonym({ channel: 'telegram', id: String(TG_USER) });
    const withUser = lines.filter((l) => l.includes('"user"'));
    for (const line of withUser) expect(JSON.parse(line).user).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(pseudonym).not.toContain(String(TG_USER));
  });

  it('every key the flows left expires, except the documented ones', () => {
    expect(scanned.length).toBeGreaterThan(5);
    const undocumented = scanned
      .filter((k) => k.pttl < 0 && !isDocumentedWithoutTtl(k.key, prefix))
      .map((k) => `${k.key} (${k.type})`);
    expect(undocumented).toEqual([]);
    // The per-user keys the flows certainly created, with their TTLs.
    const userKeys = scanned.filter((k) => k.key.includes('{u:'));
    expect(userKeys.length).toBeGreaterThanOrEqual(2);
    for (const k of userKeys) expect(k.pttl).toBeGreaterThan(0);
    expect(KEYS_WITHOUT_TTL.length).toBeGreaterThan(0);
  });

  it('statistics hold counts only: no user id, session or pseudonym', () => {
    const pseudonyms = [
      server.container.pseudonym({ channel: 'telegram', id: String(TG_USER) }),
      server.container.pseudonym({ channel: 'webchat', id: SESSION }),
    ];
    const stats = scanned.filter((k) => k.key.includes(':st:'));
    expect(stats.length).toBeGreaterThan(0);
    for (const k of stats) {
      for (const needle of [String(TG_USER), SESSION, ...pseudonyms]) {
        expect(k.content.includes(needle) || k.key.includes(needle), `${k.key} holds ${needle}`).toBe(false);
      }
    }
  });
});
