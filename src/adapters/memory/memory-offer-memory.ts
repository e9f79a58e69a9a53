import { bestMatch, clusterIdOf } from '../../core/offers/fingerprint.js';
import type { ChannelName } from '../../core/user-ref.js';
import type {
  ClusterRecord,
  ContactRecord,
  LabelRecord,
  OfferLabel,
  OfferMemory,
  RecordOfferInput,
  RecordOfferResult,
  Subscriber,
} from '../../ports/offer-memory.js';

const LEVEL_RANK: Record<string, number> = { none: 0, low: 1, medium: 2, high: 3 };

type Cluster = Omit<ClusterRecord, 'topFlags'> & { flags: Map<string, number> };
type Contact = Omit<ContactRecord, 'clusters'> & { clusters: Set<string> };

/** Offer memory in process memory (no Redis): development, the terminal chat and tests. */
export class MemoryOfferMemory implements OfferMemory {
  private readonly clusters = new Map<string, Cluster>();
  private readonly bands = new Map<string, Set<string>>();
  private readonly contacts = new Map<string, Contact>();
  private readonly daily = new Map<string, Set<string>>();
  private readonly alerted = new Set<string>();
  private readonly labels = new Map<string, LabelRecord>();
  private readonly subscribers = new Map<string, Subscriber[]>();

  constructor(private readonly newClusterId: (signature: number[]) => string = clusterIdOf) {}

  async record(input: RecordOfferInput, matchThreshold: number): Promise<RecordOfferResult> {
    const found = this.match(input.signature, input.bands, matchThreshold);
    let cluster = found ? this.clusters.get(found.id) : undefined;
    const created = !cluster;
    if (!cluster) {
      cluster = {
        id: this.newClusterId(input.signature),
        signature: input.signature,
        count: 0,
        firstSeen: input.at,
        lastSeen: input.at,
        level: input.level,
        flags: new Map(),
      };
      this.clusters.set(cluster.id, cluster);
      for (const b of input.bands) {
        const set = this.bands.get(b) ?? new Set();
        set.add(cluster.id);
        this.bands.set(b, set);
      }
    }
    cluster.count++;
    cluster.lastSeen = Math.max(cluster.lastSeen, input.at);
    if ((LEVEL_RANK[input.level] ?? 0) > (LEVEL_RANK[cluster.level] ?? 0)) cluster.level = input.level;
    for (const f of input.flagIds) cluster.flags.set(f, (cluster.flags.get(f) ?? 0) + 1);

    const contacts: RecordOfferResult['contacts'] = [];
    for (const c of input.contacts) {
      let rec = this.contacts.get(c.id);
      if (!rec) {
        rec = { id: c.id, kind: c.kind, firstSeen: input.at, count: 0, clusters: new Set() };
        this.contacts.set(c.id, rec);
      }
      rec.count++;
      rec.clusters.add(cluster.id);
      const dayKey = `${c.id}|${input.day}`;
      const forwarders = this.daily.get(dayKey) ?? new Set();
      forwarders.add(input.forwarder);
      this.daily.set(dayKey, forwarders);
      contacts.push({ record: contactView(rec), forwardsToday: forwarders.size });
    }
    return { cluster: clusterView(cluster), created, contacts };
  }

  private match(signature: number[], bands: string[], threshold: number): Cluster | undefined {
    const ids = new Set<string>();
    for (const b of bands) for (const id of this.bands.get(b) ?? []) ids.add(id);
    const candidates = [...ids].map((id) => this.clusters.get(id)).filter((c) => c !== undefined);
    return bestMatch(signature, candidates, threshold)?.candidate;
  }

  async findCluster(signature: number[], bands: string[], threshold: number) {
    const c = this.match(signature, bands, threshold);
    return c ? clusterView(c) : undefined;
  }

  async cluster(id: string) {
    const c = this.clusters.get(id);
    return c ? clusterView(c) : undefined;
  }

  async contact(id: string) {
    const c = this.contacts.get(id);
    return c ? contactView(c) : undefined;
  }

  async markAlerted(contactId: string, day: string) {
    const key = `${contactId}|${day}`;
    if (this.alerted.has(key)) return false;
    this.alerted.add(key);
    return true;
  }

  async setLabel(target: string, label: OfferLabel, by: string, at: number) {
    const rec = { label, by, at };
    this.labels.set(target, rec);
    return rec;
  }

  async getLabel(target: string) {
    return this.labels.get(target);
  }

  async topClusters(limit: number) {
    return [...this.clusters.values()]
      .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id))
      .slice(0, limit)
      .map(clusterView);
  }

  async topContacts(limit: number) {
    return [...this.contacts.values()]
      .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id))
      .slice(0, limit)
      .map(contactView);
  }

  async subscribe(clusterId: string, subscriber: Subscriber) {
    const list = (this.subscribers.get(clusterId) ?? []).filter(
      (s) => !(s.channel === subscriber.channel && s.userId === subscriber.userId),
    );
    list.push(subscriber);
    this.subscribers.set(clusterId, list);
  }

  async forgetSubscriber(channel: ChannelName, userId: string) {
    for (const [clusterId, list] of this.subscribers) {
      const kept = list.filter((s) => !(s.channel === channel && s.userId === userId));
      if (kept.length) this.subscribers.set(clusterId, kept);
      else this.subscribers.delete(clusterId);
    }
  }

  async takeSubscribers(clusterId: string) {
    const list = this.subscribers.get(clusterId) ?? [];
    this.subscribers.delete(clusterId);
    return list;
  }
}

function clusterView(c: Cluster): ClusterRecord {
  const topFlags = [...c.flags.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 5)
    .map(([f]) => f);
  return {
    id: c.id,
    signature: c.signature,
    count: c.count,
    firstSeen: c.firstSeen,
    lastSeen: c.lastSeen,
    level: c.level,
    topFlags,
  };
}

function contactView(c: Contact): ContactRecord {
  return { id: c.id, kind: c.kind, firstSeen: c.firstSeen, count: c.count, clusters: [...c.clusters].sort() };
}
