import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestRedis, randomPrefix } from '../support/redis.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const started: TestServer[] = [];
afterEach(async () => {
  for (const t of started.splice(0).reverse()) await t.close();
});

const TG_SECRET = 'rate_limit_test_secret';
const ZALO = {
  ZALO_APP_ID: '1234567890',
  ZALO_OA_SECRET_KEY: 'oa-secret-key-123',
  ZALO_APP_SECRET: 'app-secret-456',
  ZALO_ACCESS_TOKEN: 'not-used-here',
  ZALO_API_BASE: 'http://127.0.0.1:9',
  ZALO_OAUTH_BASE: 'http://127.0.0.1:9',
};
const TELEGRAM = {
  TELEGRAM_BOT_TOKEN: '123456:RATE-LIMIT-abcdefghijklmnopqrstuv',
  TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
  TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
};
/** Every limit small, so a flood is a few requests. */
const SMALL = {
  RATE_LIMIT_WEBCHAT: '5',
  RATE_LIMIT_ASSESS: '5',
  RATE_LIMIT_OPERATOR: '5',
  RATE_LIMIT_LOGIN: '5',
  RATE_LIMIT_CONSOLE: '5',
  RATE_LIMIT_ZALO: '5',
  ASSESS_API_KEYS: 'partner-key-1',
};

async function boot(env: Record<string, string> = {}, prefix?: string, cleanup = true): Promise<TestServer> {
  const t = await startTestServer({ redis: true, env: { ...SMALL, ...env }, prefix, cleanup });
  started.push(t);
  return t;
}

/** Sends `count` requests in order; returns the status codes. */
async function flood(
  t: TestServer,
  count: number,
  request: InjectOptions,
): Promise<LightMyRequestResponse[]> {
  const out: LightMyRequestResponse[] = [];
  for (let i = 0; i < count; i++) out.push(await t.server.app.inject(request));
  return out;
}

const codes = (responses: LightMyRequestResponse[]) => responses.map((r) => r.statusCode);

/** One representative request per limited group of public routes. */
const GROUPS: Record<string, (ip: string) => InjectOptions> = {
  'web chat page': (ip) => ({ method: 'GET', url: '/chat', remoteAddress: ip }),
  'web chat message': (ip) => ({
    method: 'POST',
    url: '/chat/api/messages',
    remoteAddress: ip,
    payload: { session: `s${ip.replaceAll('.', '')}${'x'.repeat(20)}`, id: 'm1', text: 'xin chào' },
  }),
  'assess API (no key: guesses are limited before the key is checked)': (ip) => ({
    method: 'POST',
    url: '/api/v1/assess',
    remoteAddress: ip,
    headers: { authorization: 'Bearer guess' },
    payload: { text: 'x' },
  }),
  'operator login': (ip) => ({
    method: 'POST',
    url: '/api/operator/login',
    remoteAddress: ip,
    // A name per address: the login lockout is tested in test/operator/login-lockout.test.ts.
    payload: { name: `n${ip.replaceAll('.', '')}`, secret: 'wrong' },
  }),
  'operator API': (ip) => ({ method: 'GET', url: '/api/operator/cases', remoteAddress: ip }),
  'operator canned replies': (ip) => ({
    method: 'GET',
    url: '/api/operator/canned-replies',
    remoteAddress: ip,
  }),
  'operator offer clusters': (ip) => ({
    method: 'GET',
    url: '/api/operator/offers/clusters',
    remoteAddress: ip,
  }),
  'console page': (ip) => ({ method: 'GET', url: '/console', remoteAddress: ip }),
  'console settings': (ip) => ({ method: 'GET', url: '/console/config.json', remoteAddress: ip }),
  'zalo webhook (unsigned posts)': (ip) => ({
    method: 'POST',
    url: '/webhooks/zalo',
    remoteAddress: ip,
    headers: { 'content-type': 'application/json' },
    payload: '{}',
  }),
};

describe('per-address rate limits on the public routes', () => {
  it.each(Object.entries(GROUPS))(
    '%s: one address flooding gets 429 with a JSON body; another passes',
    async (_name, make) => {
      const t = await boot({ ...ZALO });
      const responses = await flood(t, 12, make('203.0.113.7'));
      const statuses = codes(responses);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      expect(statuses.slice(0, 5)).not.toContain(429);
      const limited = responses.find((r) => r.statusCode === 429)!;
      expect(limited.headers['content-type']).toMatch(/application\/json/);
      expect(limited.json()).toEqual({
        error: { code: 'RATE_LIMITED', message: expect.stringMatching(/Too many requests.*retry in/) },
      });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      const other = await t.server.app.inject(make('198.51.100.20'));
      expect(other.statusCode).not.toBe(429);
    },
  );

  it('counts in Redis: two app instances on one Redis share one budget per address', async () => {
    const prefix = randomPrefix('rl');
    const a = await boot({}, prefix, false);
    const b = await boot({}, prefix);
    const page = GROUPS['web chat page']!('203.0.113.8');
    const statuses = [
      ...codes(await flood(a, 3, page)),
      ...codes(await flood(b, 2, page)),
      ...codes(await flood(a, 1, page)),
      ...codes(await flood(b, 1, page)),
    ];
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const redis = openTestRedis();
    try {
      const keys = await redis.keys(`${prefix}:rl:webchat:*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(await redis.pttl(key)).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });

  it('web chat: one session flooding is limited by session even from many addresses', async () => {
    const t = await boot({ WEBCHAT_MESSAGES_PER_MINUTE: '3', RATE_LIMIT_WEBCHAT: '100' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await t.server.app.inject({
        method: 'POST',
        url: '/chat/api/messages',
        remoteAddress: `192.0.2.${i + 1}`,
        payload: { session: 'one-session-aaaaaaaaaaaaaaaa', id: `m${i}`, text: 'xin chào' },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429, 429]);
  });

  it('assess API: a valid key past its budget gets 429, whatever address it comes from', async () => {
    const t = await boot({ RATE_LIMIT_ASSESS: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.server.app.inject({
        method: 'POST',
        url: '/api/v1/assess',
        remoteAddress: `192.0.2.${i + 1}`,
        headers: { authorization: 'Bearer partner-key-1' },
        payload: { text: 'Tuyển gấp việc nhẹ lương cao ở Campuchia' },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('never limits the Telegram webhook, even with every other limit at 1', async () => {
    const t = await boot({
      ...TELEGRAM,
      RATE_LIMIT_WEBCHAT: '1',
      RATE_LIMIT_ASSESS: '1',
      RATE_LIMIT_OPERATOR: '1',
      RATE_LIMIT_LOGIN: '1',
      RATE_LIMIT_CONSOLE: '1',
      RATE_LIMIT_ZALO: '1',
    });
    const statuses = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        t.server.app
          .inject({
            method: 'POST',
            url: '/webhooks/telegram',
            remoteAddress: '149.154.167.200',
            headers: { 'x-telegram-bot-api-secret-token': TG_SECRET },
            payload: {
              update_id: 900_000 + i,
              message: {
                message_id: i + 1,
                date: Math.floor(Date.now() / 1000),
                chat: { id: 4242, type: 'private' },
                from: { id: 4242, is_bot: false, first_name: 'A' },
                text: `tin ${i}`,
              },
            },
          })
          .then((r) => r.statusCode),
      ),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
    // The same address is limited on the web chat at once: the limits are on, just not there.
    expect(codes(await flood(t, 2, GROUPS['web chat page']!('149.154.167.200')))).toEqual([200, 429]);
  });
});

describe('client address behind a proxy (TRUST_PROXY)', () => {
  const viaProxy = (client: string): InjectOptions => ({
    method: 'GET',
    url: '/chat',
    remoteAddress: '10.0.0.2',
    headers: { 'x-forwarded-for': client },
  });

  it('unset: a forged X-Forwarded-For does not buy a fresh budget', async () => {
    const t = await boot({ RATE_LIMIT_WEBCHAT: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await t.server.app.inject(viaProxy(`198.18.0.${i}`))).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('one trusted hop: each client behind the proxy has its own budget, and a forged first entry is ignored', async () => {
    const t = await boot({ RATE_LIMIT_WEBCHAT: '3', TRUST_PROXY: '1' });
    expect(codes(await flood(t, 4, viaProxy('198.18.0.1')))).toEqual([200, 200, 200, 429]);
    expect((await t.server.app.inject(viaProxy('198.18.0.2'))).statusCode).toBe(200);
    // The proxy appends the real client; what the client wrote before it is not believed.
    const forged = await t.server.app.inject(viaProxy('7.7.7.7, 198.18.0.1'));
    expect(forged.statusCode).toBe(429);
  });

  it('a proxy address list trusts only that proxy', async () => {
    const t = await boot({ RATE_LIMIT_WEBCHAT: '2', TRUST_PROXY: '10.0.0.2' });
    expect(codes(await flood(t, 3, viaProxy('198.18.0.9')))).toEqual([200, 200, 429]);
    expect((await t.server.app.inject(viaProxy('198.18.0.10'))).statusCode).toBe(200);
    const elsewhere: InjectOptions = { ...viaProxy('198.18.0.11'), remoteAddress: '10.9.9.9' };
    expect(codes(await flood(t, 3, elsewhere))).toEqual([200, 200, 429]);
    expect(codes(await flood(t, 1, { ...viaProxy('198.18.0.12'), remoteAddress: '10.9.9.9' }))).toEqual([
      429,
    ]);
  });
});
