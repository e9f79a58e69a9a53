import { afterAll, describe, expect, it } from 'vitest';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { connectRedis, deleteMatching, primaries } from '../../src/adapters/redis/redis-client.js';
import type { UserRef } from '../../src/core/user-ref.js';
import { cleanPrefix, randomPrefix, redisClusterUrl } from '../support/redis.js';

// Runs in the `redis-cluster` test project only (vitest.config.ts), on its local cluster.
const redis = connectRedis(redisClusterUrl() ?? '');
afterAll(() => redis.disconnect());

async function slotOf(key: string): Promise<number> {
  return Number(await redis.call('CLUSTER', 'KEYSLOT', key));
}

async function keysOn(prefix: string): Promise<number[]> {
  const counts: number[] = [];
  for (const node of await primaries(redis)) {
    let n = 0;
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      n += keys.length;
    } while (cursor !== '0');
    counts.push(n);
  }
  return counts;
}

describe('Redis Cluster key layout', () => {
  it('runs on three primaries that share the 16384 slots', async () => {
    const info = String(await redis.call('CLUSTER', 'INFO'));
    expect(info).toContain('cluster_state:ok');
    expect(info).toContain('cluster_slots_assigned:16384');
    expect(await primaries(redis)).toHaveLength(3);
  });

  it('puts the keys that one script or transaction touches together in one hash slot', async () => {
    const k = createKeys(randomPrefix('slots'));
    const user: UserRef = { channel: 'zalo', id: '8877665544332211' };
    const groups: Record<string, string[]> = {
      // createOrGetOpen, change (CAS), erase, appendTranscript, get (MULTI), summaries (MGET)
      cases: [
        k.caseOpen(user),
        k.caseOpen({ channel: 'telegram', id: '1' }),
        k.caseData('c1'),
        k.caseData('c2'),
        k.caseData(''),
        k.caseTranscript('c1'),
        k.caseAudit('c1'),
        k.caseQueue('waiting'),
        k.caseQueue('claimed'),
        k.caseQueue('resolved'),
      ],
      // add and reset operator accounts (the reset script deletes lookup prefix .. old id)
      operators: [k.operatorAccount('lan'), k.operatorNames(), k.operatorLookup('abc'), k.operatorLookup('')],
      // the failure counter script
      failures: [k.operatorFailures('lan'), k.operatorLockout('lan')],
      // dead-lettering (XADD dead + XACK + XDEL stream in one MULTI); addOnce, readiness and ack
      // (the once mark, the chat's order and the done mark with the stream in one script)
      queue: [
        k.stream('inbox'),
        k.deadStream('inbox'),
        k.queueOnce('inbox', 'd1'),
        k.queueOrder('inbox', 'o1'),
      ],
      outbox: [
        k.stream('outbox:telegram'),
        k.deadStream('outbox:telegram'),
        k.queueOrder('outbox:telegram', 'o1'),
        k.queueDone('outbox:telegram', 'd1'),
      ],
      // taking a user's lease with their record, writing the record with the release
      user: [k.user(user), k.userLease(user)],
      offerCluster: [k.offerCluster('x1'), k.offerClusterFlags('x1')],
      offerContact: [
        k.offerContact('h1'),
        k.offerContactClusters('h1'),
        k.offerContactDay('h1', '2026-11-28'),
        k.offerContactAlerted('h1', '2026-11-28'),
      ],
    };
    for (const [name, keys] of Object.entries(groups)) {
      const slots = new Set(await Promise.all(keys.map(slotOf)));
      expect({ name, slots: slots.size }).toEqual({ name, slots: 1 });
    }
    // and different users, queues and sessions spread over the cluster rather than sharing a slot
    const spread = new Set(
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => slotOf(k.user({ channel: 'telegram', id: String(i) }))),
      ),
    );
    expect(spread.size).toBeGreaterThan(20);
  });

  it("cleans a test's prefix on every primary, not only on one", async () => {
    const prefix = randomPrefix('spread');
    const k = createKeys(prefix);
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        redis.hset(k.user({ channel: 'webchat', id: `s${i}` }), 'state', 'x'),
      ),
    );
    const before = await keysOn(prefix);
    expect(before.every((n) => n > 0)).toBe(true);
    expect(before.reduce((a, b) => a + b, 0)).toBe(60);
    await cleanPrefix(redis, prefix);
    expect(await keysOn(prefix)).toEqual([0, 0, 0]);
    expect(await deleteMatching(redis, `${prefix}:*`)).toBe(0);
  });
});
