import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeys, isDocumentedWithoutTtl } from '../../src/adapters/redis/keys.js';
import { RedisCaseStore } from '../../src/adapters/redis/redis-case-store.js';
import type { RedisClient } from '../../src/adapters/redis/redis-client.js';
import { RedisLockStore } from '../../src/adapters/redis/redis-lock-store.js';
import { RedisQueue } from '../../src/adapters/redis/redis-queue.js';
import { loadConfig } from '../../src/config.js';
import type { NewCase } from '../../src/core/cases/case.js';
import { createLogger } from '../../src/observability/logger.js';
import { OFFERS_AUDIT_ID } from '../../src/operator/offer-label-routes.js';
import { ACCOUNTS_AUDIT_ID } from '../../src/operator/operator-api.js';
import { RetentionJob } from '../../src/runtime/retention.js';
import { FakeClock } from '../support/fake-clock.js';
import { cleanPrefix, openTestRedis, randomPrefix } from '../support/redis.js';
import { eventually } from '../support/test-server.js';

const config = loadConfig({ LOG_LEVEL: 'silent', CASE_RETENTION_DAYS: '180', USER_DATA_TTL_DAYS: '30' });
const DAY = 86_400_000;

function newCase(userId: string): NewCase {
  return { level: 'concern', channel: 'telegram', userId, chatId: userId, locale: 'vi', signals: [] };
}

describe('RetentionJob on Redis (fake clock)', () => {
  let redis: RedisClient;
  let prefix: string;
  let clock: FakeClock;
  let cases: RedisCaseStore;
  let inbox: RedisQueue;
  let job: RetentionJob;

  beforeEach(() => {
    redis = openTestRedis();
    prefix = randomPrefix('ret');
    const keys = createKeys(prefix);
    // Stream ids are the Redis server's clock: start the fake one at the real time.
    clock = new FakeClock(Date.now());
    cases = new RedisCaseStore(redis, keys, config.operators.slaSeconds);
    inbox = new RedisQueue('inbox', redis, keys);
    job = new RetentionJob({
      cases,
      queues: () => [inbox],
      clock,
      config,
      logger: createLogger('silent'),
      locks: new RedisLockStore(redis, keys),
    });
  });
  afterEach(async () => {
    await job.stop();
    await cleanPrefix(redis, prefix);
    redis.disconnect();
  });

  it('deletes resolved cases after CASE_RETENTION_DAYS, with transcript and audit, and never an open one', async () => {
    const old = (await cases.createOrGetOpen(newCase('u1'), clock.now())).case;
    await cases.resolve(old.id, undefined, 'advice_given', clock.now());
    await cases.audit({ at: clock.now(), actor: 'lan', action: 'resolve', caseId: old.id });
    const open = (await cases.createOrGetOpen(newCase('u3'), clock.now())).case;
    clock.advance(180 * DAY - 1000);
    const recent = (await cases.createOrGetOpen(newCase('u2'), clock.now())).case;
    await cases.resolve(recent.id, undefined, 'advice_given', clock.now());
    expect((await job.run()).casesPurged).toBe(0);
    clock.advance(2000);
    expect((await job.run()).casesPurged).toBe(1);
    expect(await cases.get(old.id)).toBeNull();
    expect(await cases.readAudit(old.id)).toEqual([]);
    expect(await redis.exists(createKeys(prefix).caseTranscript(old.id))).toBe(0);
    expect(await cases.get(recent.id)).not.toBeNull();
    expect(await cases.get(open.id)).not.toBeNull();
  });

  it('drops account and offer-label audit entries after CASE_RETENTION_DAYS', async () => {
    await cases.audit({ at: clock.now(), actor: 'lan', action: 'login', caseId: ACCOUNTS_AUDIT_ID });
    await cases.audit({ at: clock.now(), actor: 'lan', action: 'offer_label', caseId: OFFERS_AUDIT_ID });
    clock.advance(179 * DAY);
    expect((await job.run()).auditTrimmed).toBe(0);
    clock.advance(2 * DAY);
    expect((await job.run()).auditTrimmed).toBe(2);
    expect(await cases.readAudit(ACCOUNTS_AUDIT_ID)).toEqual([]);
    expect(await cases.readAudit(OFFERS_AUDIT_ID)).toEqual([]);
  });

  it('drops dead letters (message payloads) after USER_DATA_TTL_DAYS', async () => {
    await inbox.add('{"text":"a message that failed"}');
    const [entry] = await inbox.read('c1', 1, 0);
    await inbox.deadLetter(entry!, 'poison');
    expect((await inbox.depth()).dead).toBe(1);
    clock.advance(29 * DAY);
    expect((await job.run()).deadLettersTrimmed).toBe(0);
    clock.advance(2 * DAY);
    expect((await job.run()).deadLettersTrimmed).toBe(1);
    expect((await inbox.depth()).dead).toBe(0);
  });

  it('runs by itself once started', async () => {
    const old = (await cases.createOrGetOpen(newCase('u1'), clock.now())).case;
    await cases.resolve(old.id, undefined, 'advice_given', clock.now());
    clock.advance(181 * DAY);
    const periodic = new RetentionJob({
      cases,
      queues: () => [inbox],
      clock,
      config,
      logger: createLogger('silent'),
      intervalMs: 20,
    });
    periodic.start();
    try {
      await eventually(async () => (await cases.get(old.id)) === null);
    } finally {
      await periodic.stop();
    }
  });
});

describe('documented keys without a TTL', () => {
  it('names cases, operator accounts, queues, Zalo tokens and offer rankings, and nothing per user', () => {
    const p = 'smb';
    for (const key of [
      'smb:{cases}:c:1',
      'smb:{cases}:q:waiting',
      'smb:{ops}:acct:lan',
      'smb:{q:inbox}:s',
      'smb:{q:inbox}:dead',
      'smb:zalo:tokens:1',
      'smb:om:top:c',
    ]) {
      expect(isDocumentedWithoutTtl(key, p), key).toBe(true);
    }
    for (const key of [
      'smb:{u:telegram:1}',
      'smb:{w:abc}:mb',
      'smb:dd:telegram:x',
      'smb:ops:sess:x',
      'smb:om:su:webchat:s',
      'smb:rl:webchat:1.2.3.4',
      'other:{cases}:c:1',
    ]) {
      expect(isDocumentedWithoutTtl(key, p), key).toBe(false);
    }
  });
});
