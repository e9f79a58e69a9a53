import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisCaseStore } from '../../src/adapters/redis/redis-case-store.js';
import type { RedisClient } from '../../src/adapters/redis/redis-client.js';
import { RedisEventBus } from '../../src/adapters/redis/redis-event-bus.js';
import { loadConfig } from '../../src/config.js';
import type { CaseSummary, NewCase } from '../../src/core/cases/case.js';
import { createLogger } from '../../src/observability/logger.js';
import { caseAlertText, createOperatorAlerts } from '../../src/operator/operator-alerts.js';
import { SlaWatcher } from '../../src/operator/sla-watcher.js';
import type { OperatorEvent } from '../../src/ports/event-bus.js';
import { FakeClock } from '../support/fake-clock.js';
import { cleanPrefix, openTestRedis, randomPrefix } from '../support/redis.js';
import { type FakeBotApi, startFakeBotApi } from './fake-bot-api.js';

const config = loadConfig({ PUBLIC_BASE_URL: 'https://bot.example.org', LOG_LEVEL: 'silent' });
const logger = createLogger('silent');
const SEC = 1000;

function newCase(userId: string, level: NewCase['level']): NewCase {
  return { level, channel: 'zalo', userId, chatId: userId, locale: 'vi', signals: ['ransom'] };
}

describe('SlaWatcher on Redis', () => {
  let redis: RedisClient;
  let prefix: string;
  let clock: FakeClock;
  let cases: RedisCaseStore;
  let events: RedisEventBus;
  let seen: OperatorEvent[];
  let alerts: string[];
  let waited: CaseSummary[];
  let watcher: SlaWatcher;

  beforeEach(async () => {
    redis = openTestRedis();
    prefix = randomPrefix('sla');
    const keys = createKeys(prefix);
    clock = new FakeClock();
    cases = new RedisCaseStore(redis, keys, config.operators.slaSeconds);
    events = new RedisEventBus(redis, keys);
    seen = [];
    alerts = [];
    waited = [];
    events.subscribe((e) => seen.push(e));
    await events.subscribed();
    watcher = new SlaWatcher({
      cases,
      events,
      clock,
      config,
      logger,
      notifyUserOfWait: async (c) => {
        waited.push(c);
      },
      alertOperators: async (text) => {
        alerts.push(text);
      },
    });
  });
  afterEach(async () => {
    await watcher.stop();
    await events.close();
    await cleanPrefix(redis, prefix);
    redis.disconnect();
  });

  it('alerts on a breach once per target interval and tells the user once', async () => {
    const c = (await cases.createOrGetOpen(newCase('u1', 'imminent'), clock.now())).case;
    clock.advance(119 * SEC);
    expect((await watcher.tick()).alerted).toEqual([]);
    clock.advance(1 * SEC);
    expect(await watcher.tick()).toEqual({ alerted: [c.id], usersNotified: [c.id], released: [] });
    clock.advance(60 * SEC);
    expect((await watcher.tick()).alerted).toEqual([]);
    clock.advance(60 * SEC);
    expect(await watcher.tick()).toEqual({ alerted: [c.id], usersNotified: [], released: [] });
    expect(waited.map((w) => w.id)).toEqual([c.id]);
    expect(alerts).toEqual([
      `Chưa ai nhận / Still waiting · IMMINENT · 2 min · https://bot.example.org/console#case=${c.id}`,
      `Chưa ai nhận / Still waiting · IMMINENT · 4 min · https://bot.example.org/console#case=${c.id}`,
    ]);
    expect((await cases.get(c.id))?.alertCount).toBe(2);
    expect((await cases.readAudit(c.id)).map((a) => [a.actor, a.action])).toEqual([
      ['system', 'sla_breach'],
      ['system', 'sla_breach'],
    ]);
    for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen.filter((e) => e.type === 'sla_breach').map((e) => e.caseId)).toEqual([c.id, c.id]);
  });

  it('does not alert about a claimed case', async () => {
    const c = (await cases.createOrGetOpen(newCase('u1', 'high'), clock.now())).case;
    await cases.claim(c.id, 'lan', clock.now() + 60 * SEC);
    clock.advance(11 * 60 * SEC);
    expect((await watcher.tick()).alerted).toEqual([]);
  });

  it('returns a claim to the queue when its operator went silent, and not before', async () => {
    const c = (await cases.createOrGetOpen(newCase('u1', 'concern'), clock.now())).case;
    await cases.claim(c.id, 'lan', clock.now());
    clock.advance(config.operators.idleReturnSeconds * SEC - SEC);
    expect((await watcher.tick()).released).toEqual([]);
    clock.advance(SEC);
    expect((await watcher.tick()).released).toEqual([c.id]);
    const back = await cases.get(c.id);
    expect(back).toMatchObject({ state: 'waiting' });
    expect(back?.assignee).toBeUndefined();
    expect((await cases.readAudit(c.id)).at(-1)).toMatchObject({
      action: 'auto_release',
      detail: 'from=lan',
    });
    expect((await cases.list('waiting')).map((x) => x.id)).toEqual([c.id]);
  });
});

describe('operator alerts', () => {
  let bot: FakeBotApi;
  beforeEach(async () => {
    bot = await startFakeBotApi();
  });
  afterEach(async () => {
    await bot.close();
  });

  it('posts the alert line to the operators’ chat through the Bot API', async () => {
    const cfg = loadConfig({
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      TELEGRAM_WEBHOOK_SECRET: 'hook',
      TELEGRAM_API_ROOT: bot.root,
      OPERATOR_TELEGRAM_CHAT_ID: '-1001234',
      PUBLIC_BASE_URL: 'https://bot.example.org',
    });
    const alerts = createOperatorAlerts(cfg, logger);
    expect(alerts.enabled).toBe(true);
    const text = caseAlertText(
      'new',
      { id: 'c-1', level: 'high', createdAt: 0 },
      5 * 60_000,
      cfg.http.publicBaseUrl,
    );
    await alerts.send(text);
    expect(bot.calls).toEqual([
      {
        path: '/bot123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ/sendMessage',
        body: {
          chat_id: '-1001234',
          text: 'Ca mới / New case · HIGH · 5 min · https://bot.example.org/console#case=c-1',
          disable_web_page_preview: true,
        },
      },
    ]);
  });

  it('does nothing without an operators’ chat', async () => {
    const cfg = loadConfig({
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      TELEGRAM_WEBHOOK_SECRET: 'hook',
      TELEGRAM_API_ROOT: bot.root,
    });
    const alerts = createOperatorAlerts(cfg, logger);
    expect(alerts.enabled).toBe(false);
    await alerts.send('x');
    expect(bot.calls).toEqual([]);
  });

  it('swallows a refused call so that a case is never lost to an alert', async () => {
    await bot.close();
    bot = await startFakeBotApi(403);
    const cfg = loadConfig({
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      TELEGRAM_WEBHOOK_SECRET: 'hook',
      TELEGRAM_API_ROOT: bot.root,
      OPERATOR_TELEGRAM_CHAT_ID: '42',
    });
    await expect(createOperatorAlerts(cfg, logger).send('x')).resolves.toBeUndefined();
    expect(bot.calls).toHaveLength(1);
  });
});
