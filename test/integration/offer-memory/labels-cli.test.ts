import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createKeys } from '../../../src/adapters/redis/keys.js';
import { RedisOfferMemory } from '../../../src/adapters/redis/redis-offer-memory.js';
import { OfferMemoryService } from '../../../src/runtime/offer-memory-service.js';
import { FakeClock } from '../../support/fake-clock.js';
import { cleanPrefix, openTestRedis, randomPrefix, testRedisUrl } from '../../support/redis.js';

const SECRET = 'test-hash-secret-0123456789';
const LURE =
  'Tuyển gấp nhân viên casino online tại Campuchia, lương 30 triệu/tháng, bao vé máy bay, bao ăn ở, không cần kinh nghiệm. Liên hệ Zalo 0912 345 678';
const redis = openTestRedis();
let prefix = '';

function labels(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/labels.ts', ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      HASH_SECRET: SECRET,
      LOG_LEVEL: 'silent',
    },
    timeout: 60_000,
  });
  return {
    status: r.status,
    lines: r.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  };
}

afterEach(async () => {
  await cleanPrefix(redis, prefix);
});
afterAll(() => {
  redis.disconnect();
});

describe('labels CLI', () => {
  it('labels a cluster (telling its subscriber), hashes a contact given in clear, lists, rejects bad labels', async () => {
    prefix = randomPrefix('labels');
    const service = new OfferMemoryService({
      memory: new RedisOfferMemory(redis, createKeys(prefix)),
      hashSecret: SECRET,
      clock: new FakeClock(),
      timeZone: 'Asia/Ho_Chi_Minh',
      alertThreshold: 5,
    });
    const note = await service.remember({
      text: LURE,
      level: 'high',
      flagIds: ['risky_destination'],
      user: { channel: 'telegram', id: '7' },
    });
    await service.subscribe(note!.clusterId, { channel: 'telegram', userId: '7', chatId: '7', locale: 'en' });

    const set = labels('set', note!.clusterId, 'scam', '--by', 'lan');
    expect(set.status).toBe(0);
    expect(set.lines).toEqual([
      expect.objectContaining({
        ok: true,
        kind: 'cluster',
        target: note!.clusterId,
        label: 'scam',
        by: 'lan',
        notified: 1,
      }),
    ]);
    const stream = await redis.xrange(createKeys(prefix).stream('outbox:telegram'), '-', '+');
    expect(JSON.stringify(stream)).toContain('our support team found it is a SCAM');

    const contact = labels('set', '+84 912 345 678', 'trafficking_risk');
    expect(contact.lines[0]).toMatchObject({
      ok: true,
      kind: 'contact',
      target: service.contactId('phone', '+84912345678'),
    });
    expect(JSON.stringify(contact.lines)).not.toContain('912');

    const list = labels('list');
    expect(list.lines[0].clusters[0]).toMatchObject({ id: note!.clusterId, count: 1, label: 'scam' });
    expect(list.lines[0].contacts[0]).toMatchObject({ kind: 'phone', label: 'trafficking_risk' });

    const bad = labels('set', note!.clusterId, 'safe');
    expect(bad.status).toBe(2);
    expect(bad.lines[0].ok).toBe(false);
  }, 180_000);
});
