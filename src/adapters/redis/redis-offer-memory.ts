import { bestMatch, clusterIdOf, decodeSignature, encodeSignature } from '../../core/offers/fingerprint.js';
import type { ChannelName } from '../../core/user-ref.js';
import {
  type ClusterRecord,
  type ContactKind,
  type ContactRecord,
  DAILY_COUNTER_TTL_SECONDS,
  type LabelRecord,
  OFFER_LABELS,
  OFFER_MEMORY_RETENTION_SECONDS,
  type OfferLabel,
  type OfferMemory,
  type RecordOfferInput,
  type RecordOfferResult,
  SUBSCRIPTION_TTL_SECONDS,
  type Subscriber,
} from '../../ports/offer-memory.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';
import { wrap } from './redis-user-store.js';

const LEVEL_RANK: Record<string, number> = { none: 0, low: 1, medium: 2, high: 3 };
const TTL = OFFER_MEMORY_RETENTION_SECONDS;

/**
 * Offer memory in Redis. Commands go one by one (ioredis pipelines them on one connection)
 * rather than in MULTI, because a cluster's and a contact's keys live in different slots.
 * Two workers recording the same new offer at the same instant may start two clusters; the
 * next forward joins one of them, which is good enough for counting.
 */
export class RedisOfferMemory implements OfferMemory {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly newClusterId: (signature: number[]) => string = clusterIdOf,
  ) {}

  private async candidates(bands: string[]): Promise<Array<{ id: string; signature: number[] }>> {
    const lists = await Promise.all(bands.map((b) => this.redis.smembers(this.keys.offerBand(b))));
    const ids = [...new Set(lists.flat())];
    const sigs = await Promise.all(ids.map((id) => this.redis.hget(this.keys.offerCluster(id), 'sig')));
    const out: Array<{ id: string; signature: number[] }> = [];
    ids.forEach((id, i) => {
      const sig = sigs[i];
      if (sig) out.push({ id, signature: decodeSignature(sig) });
    });
    return out;
  }

  async record(input: RecordOfferInput, matchThreshold: number): Promise<RecordOfferResult> {
    return wrap('record offer', async () => {
      const found = bestMatch(input.signature, await this.candidates(input.bands), matchThreshold);
      const id = found?.candidate.id ?? this.newClusterId(input.signature);
      const ck = this.keys.offerCluster(id);
      const created = !found && (await this.redis.hsetnx(ck, 'sig', encodeSignature(input.signature))) === 1;
      if (created) {
        await this.redis.hset(ck, { first: String(input.at), level: input.level });
        // Each band is a key of its own (its own slot on a cluster): sent side by side.
        await Promise.all(
          input.bands.flatMap((b) => [
            this.redis.sadd(this.keys.offerBand(b), id),
            this.redis.expire(this.keys.offerBand(b), TTL),
          ]),
        );
      }
      // The cluster's hash and its flag counts share a hash tag (one slot): one pipeline.
      const fk = this.keys.offerClusterFlags(id);
      const counted = this.redis.pipeline().hincrby(ck, 'count', 1).hmget(ck, 'last', 'level');
      for (const f of input.flagIds) counted.hincrby(fk, f, 1);
      counted.expire(ck, TTL);
      if (input.flagIds.length) counted.expire(fk, TTL);
      const [last, level] = (await execPipeline(counted, 2))[1] as Array<string | null>;
      const newer: Record<string, string> = {};
      if (!last || Number(last) < input.at) newer.last = String(input.at);
      if ((LEVEL_RANK[input.level] ?? 0) > (LEVEL_RANK[level ?? 'none'] ?? 0)) newer.level = input.level;
      await Promise.all([
        Object.keys(newer).length ? this.redis.hset(ck, newer) : undefined,
        this.redis.zincrby(this.keys.offerTopClusters(), 1, id),
      ]);

      const contacts: RecordOfferResult['contacts'] = [];
      for (const c of input.contacts) {
        // A contact's keys share its hash tag (one slot): one pipeline per contact.
        const kk = this.keys.offerContact(c.id);
        const clk = this.keys.offerContactClusters(c.id);
        const dk = this.keys.offerContactDay(c.id, input.day);
        const written = this.redis
          .pipeline()
          .hsetnx(kk, 'first', String(input.at))
          .hset(kk, 'kind', c.kind)
          .hincrby(kk, 'count', 1)
          .expire(kk, TTL)
          .sadd(clk, id)
          .expire(clk, TTL)
          // A HyperLogLog counts distinct forwarders without keeping anything that can be read back.
          .pfadd(dk, input.forwarder)
          .expire(dk, DAILY_COUNTER_TTL_SECONDS)
          .pfcount(dk)
          .hgetall(kk)
          .smembers(clk);
        const [results] = await Promise.all([
          execPipeline(written, 11),
          this.redis.zincrby(this.keys.offerTopContacts(), 1, c.id),
        ]);
        const forwardsToday = Number(results[8]);
        const record = contactRecord(c.id, results[9] as Record<string, string>, results[10] as string[]);
        if (record) contacts.push({ record, forwardsToday });
      }
      const cluster = await this.cluster(id);
      if (!cluster) throw new Error('cluster vanished while recording');
      return { cluster, created: !found, contacts };
    });
  }

  async findCluster(signature: number[], bands: string[], matchThreshold: number) {
    const found = bestMatch(signature, await this.candidates(bands), matchThreshold);
    return found ? this.cluster(found.candidate.id) : undefined;
  }

  async cluster(id: string): Promise<ClusterRecord | undefined> {
    const [h, flags] = await Promise.all([
      this.redis.hgetall(this.keys.offerCluster(id)),
      this.redis.hgetall(this.keys.offerClusterFlags(id)),
    ]);
    if (!h.sig) return undefined;
    const topFlags = Object.entries(flags)
      .map(([f, n]) => [f, Number(n)] as const)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 5)
      .map(([f]) => f);
    return {
      id,
      signature: decodeSignature(h.sig),
      count: Number(h.count ?? 0),
      firstSeen: Number(h.first ?? 0),
      lastSeen: Number(h.last ?? h.first ?? 0),
      level: h.level ?? 'none',
      topFlags,
    };
  }

  async contact(id: string): Promise<ContactRecord | undefined> {
    const [h, clusters] = await Promise.all([
      this.redis.hgetall(this.keys.offerContact(id)),
      this.redis.smembers(this.keys.offerContactClusters(id)),
    ]);
    return contactRecord(id, h, clusters);
  }

  async markAlerted(contactId: string, day: string): Promise<boolean> {
    const r = await this.redis.set(
      this.keys.offerContactAlerted(contactId, day),
      '1',
      'EX',
      DAILY_COUNTER_TTL_SECONDS,
      'NX',
    );
    return r === 'OK';
  }

  async setLabel(target: string, label: OfferLabel, by: string, at: number): Promise<LabelRecord> {
    await wrap('set label', () =>
      this.redis.hset(this.keys.offerLabel(target), { label, by, at: String(at) }),
    );
    return { label, by, at };
  }

  async getLabel(target: string): Promise<LabelRecord | undefined> {
    const h = await wrap('get label', () => this.redis.hgetall(this.keys.offerLabel(target)));
    if (!h.label || !(OFFER_LABELS as readonly string[]).includes(h.label)) return undefined;
    return { label: h.label as OfferLabel, by: h.by ?? '', at: Number(h.at ?? 0) };
  }

  async topClusters(limit: number): Promise<ClusterRecord[]> {
    const ids = await this.redis.zrevrange(this.keys.offerTopClusters(), 0, Math.max(0, limit - 1));
    const out = await Promise.all(ids.map((id) => this.cluster(id)));
    return out.filter((c) => c !== undefined);
  }

  async topContacts(limit: number): Promise<ContactRecord[]> {
    const ids = await this.redis.zrevrange(this.keys.offerTopContacts(), 0, Math.max(0, limit - 1));
    const out = await Promise.all(ids.map((id) => this.contact(id)));
    return out.filter((c) => c !== undefined);
  }

  async subscribe(clusterId: string, subscriber: Subscriber): Promise<void> {
    const key = this.keys.offerSubscribers(clusterId);
    await wrap('subscribe', async () => {
      await this.redis.hset(key, `${subscriber.channel}:${subscriber.userId}`, JSON.stringify(subscriber));
      await this.redis.expire(key, SUBSCRIPTION_TTL_SECONDS);
      const index = this.keys.offerSubscriberIndex({ channel: subscriber.channel, id: subscriber.userId });
      await this.redis.sadd(index, clusterId);
      await this.redis.expire(index, SUBSCRIPTION_TTL_SECONDS);
    });
  }

  async forgetSubscriber(channel: ChannelName, userId: string): Promise<void> {
    const index = this.keys.offerSubscriberIndex({ channel, id: userId });
    await wrap('forget subscriber', async () => {
      for (const clusterId of await this.redis.smembers(index))
        await this.redis.hdel(this.keys.offerSubscribers(clusterId), `${channel}:${userId}`);
      await this.redis.del(index);
    });
  }

  async takeSubscribers(clusterId: string): Promise<Subscriber[]> {
    const key = this.keys.offerSubscribers(clusterId);
    // Read and delete in one transaction (one key, one slot) so that two labels never notify twice.
    const result = await wrap('take subscribers', () => this.redis.multi().hgetall(key).del(key).exec());
    const all = (result?.[0]?.[1] ?? {}) as Record<string, string>;
    const out: Subscriber[] = [];
    for (const v of Object.values(all)) {
      try {
        const s = JSON.parse(v) as Subscriber;
        out.push(s);
        await this.redis.srem(
          this.keys.offerSubscriberIndex({ channel: s.channel, id: s.userId }),
          clusterId,
        );
      } catch {
        // A damaged entry is dropped: it cannot be delivered anyway.
      }
    }
    return out;
  }
}

function contactRecord(id: string, h: Record<string, string>, clusters: string[]): ContactRecord | undefined {
  if (!h.first) return undefined;
  return {
    id,
    kind: (h.kind ?? 'phone') as ContactKind,
    firstSeen: Number(h.first),
    count: Number(h.count ?? 0),
    clusters: [...clusters].sort(),
  };
}

/**
 * Runs a pipeline and returns its first `take` results; the first command that failed throws
 * (a pipeline reports errors per command instead of rejecting).
 */
async function execPipeline(
  pipeline: { exec(): Promise<Array<[Error | null, unknown]> | null> },
  take: number,
): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  for (const [error] of results) if (error) throw error;
  return results.slice(0, take).map(([, value]) => value);
}
