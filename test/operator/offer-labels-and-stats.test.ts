import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { InboundMessage } from '../../src/core/messages.js';
import { createLogger } from '../../src/observability/logger.js';
import { OFFERS_AUDIT_ID } from '../../src/operator/offer-label-routes.js';
import type { OperatorRole } from '../../src/ports/operator-store.js';
import { createServer, type Server } from '../../src/server.js';
import { FakePlatform } from '../fakes/platform-recorder.js';
import { FakeClock } from '../support/fake-clock.js';
import { inbound, press } from '../support/messages.js';
import { cleanPrefix, openTestRedis, testRedisUrl } from '../support/redis.js';
import { envPrefix } from './operator-harness.js';

const API = '/api/operator';
const LURE =
  'TUYỂN GẤP 20 bạn nam nữ 18-30 tuổi đi làm nhân viên chăm sóc khách hàng tại Campuchia. Lương cứng 25 triệu/tháng, bao vé máy bay, bao ăn ở. Không cần kinh nghiệm, không cần tiếng Anh. Liên hệ Zalo 0912 345 678';
const TASKS =
  'Việc làm thêm tại nhà: làm nhiệm vụ like đơn hàng trên Shopee, mỗi đơn hoa hồng 15%, nạp trước đơn đầu tiên 200k để kích hoạt tài khoản, rút tiền ngay trong ngày. Inbox Telegram @viec_nhe_luong_cao';

let server: Server;
let platform: FakePlatform;
let prefix: string;
let clock: FakeClock;

beforeEach(async () => {
  platform = new FakePlatform();
  await platform.start();
  prefix = envPrefix('ols');
  const config = loadConfig({
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: prefix,
    HASH_SECRET: 'offer-labels-test-hash-secret-0123',
    LOG_LEVEL: 'silent',
  });
  clock = new FakeClock(Date.UTC(2026, 10, 28, 9, 0, 0));
  server = await createServer(config, createLogger('silent'), {
    clock,
    adapters: [platform.adapter('webchat')],
    instanceId: prefix,
  });
});

afterEach(async () => {
  await server.stop();
  await platform.stop();
  const redis = openTestRedis();
  await cleanPrefix(redis, prefix);
  redis.disconnect();
});

const user = (id: string) => ({ channel: 'webchat' as const, id });

async function say(id: string, text: string, extra: Partial<InboundMessage> = {}): Promise<string[]> {
  const before = platform.sent.length;
  await server.runtime.handleMessage(inbound(text, { user: user(id), ...extra }));
  await server.drain();
  return platform.sent.slice(before).map((s) => s.text);
}

async function pressButton(id: string, payload: string): Promise<FakePlatform['sent']> {
  const before = platform.sent.length;
  await server.runtime.handleMessage(press(payload, { user: user(id) }));
  await server.drain();
  return platform.sent.slice(before);
}

async function login(name: string, role: OperatorRole): Promise<Record<string, string>> {
  const { container, app } = server;
  const { secret } = await container.operators.add(name, role, container.clock.now());
  const res = await app.inject({ method: 'POST', url: `${API}/login`, payload: { name, secret } });
  expect(res.statusCode).toBe(200);
  const cookie = String(res.headers['set-cookie']).split(';')[0] as string;
  return { cookie, 'x-csrf-token': res.json().csrfToken as string };
}

/** The cluster id behind the consent button of the latest check sent to this user. */
function clusterOfLastCheck(id: string): string {
  const button = platform.sent
    .filter((s) => s.chatId === id)
    .flatMap((s) => s.buttons)
    .findLast((b) => b.includes(':a:subscribe_offer:'));
  expect(button).toBeDefined();
  return button?.split(':').pop() as string;
}

describe('offer label routes', () => {
  it('lists clusters to operators, lets only supervisors label, audits, and later checks show the label', async () => {
    await say('u1', LURE);
    const clusterId = clusterOfLastCheck('u1');
    const operator = await login('an', 'operator');
    const supervisor = await login('chi', 'supervisor');

    const list = await server.app.inject({ method: 'GET', url: `${API}/offers/clusters`, headers: operator });
    expect(list.statusCode).toBe(200);
    const body = list.json();
    expect(body.clusters).toEqual([
      expect.objectContaining({ id: clusterId, count: 1, level: 'high', label: null }),
    ]);
    // Contacts only as keyed hashes: the phone number never leaves the server.
    expect(body.contacts.length).toBeGreaterThan(0);
    expect(JSON.stringify(body)).not.toMatch(/0912|345 ?678/);

    const anonymous = await server.app.inject({ method: 'GET', url: `${API}/offers/clusters` });
    expect(anonymous.statusCode).toBe(401);

    const refused = await server.app.inject({
      method: 'POST',
      url: `${API}/offers/labels`,
      headers: operator,
      payload: { target: clusterId, label: 'scam' },
    });
    expect(refused.statusCode).toBe(403);

    const noCsrf = await server.app.inject({
      method: 'POST',
      url: `${API}/offers/labels`,
      headers: { cookie: supervisor.cookie as string },
      payload: { target: clusterId, label: 'scam' },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('CSRF');

    const bad = await server.app.inject({
      method: 'POST',
      url: `${API}/offers/labels`,
      headers: supervisor,
      payload: { target: 'not a target', label: 'scam' },
    });
    expect(bad.statusCode).toBe(400);
    expect(await server.offerMemory.getLabel(clusterId)).toBeUndefined();

    const saved = await server.app.inject({
      method: 'POST',
      url: `${API}/offers/labels`,
      headers: supervisor,
      payload: { target: clusterId, label: 'scam' },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ kind: 'cluster', target: clusterId, label: 'scam', by: 'chi' });

    const audit = await server.container.cases.readAudit(OFFERS_AUDIT_ID, 10);
    expect(audit).toContainEqual(
      expect.objectContaining({
        actor: 'chi',
        action: 'offer_label',
        detail: expect.stringContaining(clusterId),
      }),
    );

    const after = await server.app.inject({
      method: 'GET',
      url: `${API}/offers/clusters`,
      headers: operator,
    });
    expect(after.json().clusters[0]).toMatchObject({ id: clusterId, label: 'scam' });

    const later = await say('u2', LURE);
    expect(later.join('\n')).toContain('LỪA ĐẢO');
  });

  it('labels a contact typed in clear by its hash, and tells a subscriber', async () => {
    await say('u1', LURE);
    const consent = platform.sent.flatMap((s) => s.buttons).find((b) => b.includes(':a:subscribe_offer:'));
    await pressButton('u1', consent as string);
    const supervisor = await login('chi', 'supervisor');
    const saved = await server.app.inject({
      method: 'POST',
      url: `${API}/offers/labels`,
      headers: supervisor,
      payload: { target: '0912 345 678', label: 'trafficking_risk' },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ kind: 'contact', notified: 1 });
    expect(saved.json().target).toMatch(/^h[0-9a-f]{32}$/);
    const audit = await server.container.cases.readAudit(OFFERS_AUDIT_ID, 10);
    expect(JSON.stringify(audit)).not.toContain('0912');
    await server.drain();
    expect(platform.textsTo('u1').at(-1)).toBe(
      server.engine.texts.t('vi', 'offer_memory.notify_trafficking_risk'),
    );
  });
});

describe('activity figures in /stats', () => {
  it('counts offers checked by level, their red flags and lessons started, for supervisors', async () => {
    await say('u1', LURE);
    await say('u2', TASKS);
    await say('u3', '/learn');
    // Walk the lesson menu: the first lesson, then the age band the first lesson asks for.
    let sent = platform.sent.filter((s) => s.chatId === 'u3').at(-1);
    for (let i = 0; i < 3; i++) {
      const button = sent?.buttons.find((b) => b.includes(':lesson:'));
      if (!button) break;
      const replies = await pressButton('u3', button);
      sent = replies.at(-1);
    }

    const operator = await login('an', 'operator');
    const forbidden = await server.app.inject({ method: 'GET', url: `${API}/stats`, headers: operator });
    expect(forbidden.statusCode).toBe(403);

    const supervisor = await login('chi', 'supervisor');
    const res = await server.app.inject({ method: 'GET', url: `${API}/stats`, headers: supervisor });
    expect(res.statusCode).toBe(200);
    const stats = res.json();
    expect(stats.total).toBe(0);
    expect(stats.offersPerDay).toHaveLength(30);
    expect(stats.offersPerDay.at(-1)).toMatchObject({ day: '2026-11-28', total: 2 });
    expect(stats.offersPerDay.at(-1).byLevel.high).toBeGreaterThanOrEqual(1);
    expect(stats.offersPerDay.at(0).day).toBe('2026-10-30');
    expect(stats.topFlags.length).toBeGreaterThan(1);
    expect(stats.topFlags[0].count).toBeGreaterThanOrEqual(stats.topFlags.at(-1).count);
    // Each flag comes with its name in both languages, from the red-flag catalogue.
    const first = stats.topFlags[0];
    expect(first.name.vi).toMatch(/\S{2,}/);
    expect(first.name.en).toMatch(/\S{2,}/);
    expect(first.name.vi).not.toBe(first.id);
    expect(stats.lessons.started).toBe(1);
    expect(stats.lessons.completed).toBe(0);
    // Ids and counts only: no text of any message.
    expect(JSON.stringify(stats)).not.toMatch(/Campuchia|Shopee|0912/);
  });

  it('counts by the Vietnamese day: an offer at 23:30 UTC lands on the next day, and the API lists local days', async () => {
    // 23:30 UTC on 28 November is 06:30 on 29 November in Hà Nội (TIME_ZONE defaults to Asia/Ho_Chi_Minh).
    clock.set(Date.UTC(2026, 10, 28, 23, 30, 0));
    await say('u1', LURE);

    const supervisor = await login('chi', 'supervisor');
    const res = await server.app.inject({ method: 'GET', url: `${API}/stats`, headers: supervisor });
    expect(res.statusCode).toBe(200);
    const stats = res.json();
    expect(stats.offersPerDay.at(-1)).toMatchObject({ day: '2026-11-29', total: 1 });
    expect(stats.offersPerDay.at(-2)).toMatchObject({ day: '2026-11-28', total: 0 });
    expect(stats.activityPeriod).toEqual({ from: '2026-10-31', to: '2026-11-29' });
    // The stored bucket is the local day's too.
    const redis = openTestRedis();
    try {
      expect(await redis.hget(server.container.keys.statsDay('2026-11-29'), 'offer_checked')).toBe('1');
      expect(await redis.exists(server.container.keys.statsDay('2026-11-28'))).toBe(0);
    } finally {
      redis.disconnect();
    }
  });
});
