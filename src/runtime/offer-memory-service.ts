import { createHmac } from 'node:crypto';
import { localDay } from '../core/local-day.js';
import { type ContactKind, extractContactValues } from '../core/offers/contact-keys.js';
import { fingerprint, MATCH_THRESHOLD } from '../core/offers/fingerprint.js';
import type { UserRef } from '../core/user-ref.js';
import type { Clock } from '../ports/clock.js';
import type { LabelRecord, OfferLabel, OfferMemory, Subscriber } from '../ports/offer-memory.js';

/** An alert for operators: one contact in many distinct forwards today. Counts only. */
export type ContactAlert = {
  contactId: string;
  kind: ContactKind;
  forwardsToday: number;
  threshold: number;
  clusters: number;
  day: string;
};

/** What the memory knows about an offer just checked. */
export type MemoryNote = {
  clusterId: string;
  /** Checks of this cluster, this one included. */
  count: number;
  firstSeen: number;
  label: LabelRecord | undefined;
  /** Labels operators put on contacts in this offer (strongest first). */
  contactLabels: OfferLabel[];
  /** Contacts in this offer that earlier checks had carried already. */
  contactsSeenBefore: number;
  /** Checks of earlier offers that carried one of these contacts (the largest count). */
  contactPriorCount: number;
};

/** Result of labelling: the target, and who to tell (their subscriptions are deleted). */
export type LabelOutcome = {
  kind: 'cluster' | 'contact';
  target: string;
  record: LabelRecord;
  notify: Array<{ subscriber: Subscriber; clusterId: string }>;
};

const CLUSTER_ID = /^c[0-9a-f]{16}$/;
const CONTACT_ID = /^h[0-9a-f]{32}$/;
const LABEL_RANK: Record<OfferLabel, number> = { trafficking_risk: 2, scam: 1, legitimate: 0 };

/**
 * The offer memory as the conversation and the labels CLI use it. Contacts are hashed here with
 * HMAC(hashSecret) before they reach the store, so neither Redis nor logs ever hold them in clear.
 */
export class OfferMemoryService {
  constructor(
    private readonly deps: {
      memory: OfferMemory;
      hashSecret: string;
      clock: Clock;
      /** Where "a day" of forwards starts and ends for the alert threshold (TIME_ZONE). */
      timeZone: string;
      /** Distinct forwards of one contact in a day above which operators are alerted. */
      alertThreshold: number;
      onAlert?: (alert: ContactAlert) => void | Promise<void>;
      matchThreshold?: number;
    },
  ) {}

  /** The keyed hash that stands for a contact: "h" and 32 hex digits. */
  contactId(kind: ContactKind, value: string): string {
    return `h${createHmac('sha256', this.deps.hashSecret).update(`${kind}\u0000${value}`).digest('hex').slice(0, 32)}`;
  }

  private forwarderId(user: UserRef): string {
    return createHmac('sha256', this.deps.hashSecret)
      .update(`fwd\u0000${user.channel}:${user.id}`)
      .digest('base64url');
  }

  /** Records a checked offer and says what was known about it. Undefined for texts too short to compare. */
  async remember(input: {
    text: string;
    level: string;
    flagIds: string[];
    user: UserRef;
  }): Promise<MemoryNote | undefined> {
    const fp = fingerprint(input.text);
    if (!fp) return undefined;
    const now = this.deps.clock.now();
    const day = localDay(now, this.deps.timeZone);
    const contacts = extractContactValues(input.text).map((c) => ({
      id: this.contactId(c.kind, c.value),
      kind: c.kind,
    }));
    const before = await Promise.all(contacts.map((c) => this.deps.memory.contact(c.id)));
    const result = await this.deps.memory.record(
      {
        signature: fp.signature,
        bands: fp.bands,
        level: input.level,
        flagIds: input.flagIds,
        contacts,
        forwarder: this.forwarderId(input.user),
        at: now,
        day,
      },
      this.deps.matchThreshold ?? MATCH_THRESHOLD,
    );
    for (const c of result.contacts) {
      if (
        c.forwardsToday > this.deps.alertThreshold &&
        (await this.deps.memory.markAlerted(c.record.id, day))
      ) {
        await this.deps.onAlert?.({
          contactId: c.record.id,
          kind: c.record.kind,
          forwardsToday: c.forwardsToday,
          threshold: this.deps.alertThreshold,
          clusters: c.record.clusters.length,
          day,
        });
      }
    }
    const [label, ...labels] = await Promise.all([
      this.deps.memory.getLabel(result.cluster.id),
      ...contacts.map((c) => this.deps.memory.getLabel(c.id)),
    ]);
    const contactLabels = [...new Set(labels.filter((l) => l !== undefined).map((l) => l.label))].sort(
      (a, b) => LABEL_RANK[b] - LABEL_RANK[a],
    );
    const seenBefore = before.filter((b) => b !== undefined);
    return {
      clusterId: result.cluster.id,
      count: result.cluster.count,
      firstSeen: result.cluster.firstSeen,
      label,
      contactLabels,
      contactsSeenBefore: seenBefore.length,
      contactPriorCount: Math.max(0, ...seenBefore.map((b) => b.count)),
    };
  }

  /** Stores a subscriber who pressed the consent button. */
  async subscribe(clusterId: string, subscriber: Subscriber): Promise<boolean> {
    if (!CLUSTER_ID.test(clusterId) || !(await this.deps.memory.cluster(clusterId))) return false;
    await this.deps.memory.subscribe(clusterId, subscriber);
    return true;
  }

  /**
   * Resolves what an operator typed: a cluster id, a contact hash, or a contact in clear (a phone
   * number, @handle or link), which is hashed before any lookup.
   */
  resolveTarget(input: string): { kind: 'cluster' | 'contact'; target: string } | undefined {
    const s = input.trim();
    if (CLUSTER_ID.test(s)) return { kind: 'cluster', target: s };
    if (CONTACT_ID.test(s)) return { kind: 'contact', target: s };
    const found = extractContactValues(s)[0];
    return found ? { kind: 'contact', target: this.contactId(found.kind, found.value) } : undefined;
  }

  /** Labels a cluster or contact and returns the subscribers to tell (already unsubscribed). */
  async label(input: string, label: OfferLabel, by: string): Promise<LabelOutcome | undefined> {
    const resolved = this.resolveTarget(input);
    if (!resolved) return undefined;
    const record = await this.deps.memory.setLabel(resolved.target, label, by, this.deps.clock.now());
    const clusterIds =
      resolved.kind === 'cluster'
        ? [resolved.target]
        : ((await this.deps.memory.contact(resolved.target))?.clusters ?? []);
    const notify: LabelOutcome['notify'] = [];
    for (const clusterId of clusterIds) {
      for (const subscriber of await this.deps.memory.takeSubscribers(clusterId))
        notify.push({ subscriber, clusterId });
    }
    return { ...resolved, record, notify };
  }

  /** Deletes the user's subscriptions (the user asked to be forgotten). */
  async forgetUser(user: UserRef): Promise<void> {
    await this.deps.memory.forgetSubscriber(user.channel, user.id);
  }

  async getLabel(target: string): Promise<LabelRecord | undefined> {
    return this.deps.memory.getLabel(target);
  }

  /** For the console: most forwarded clusters and most seen contacts, with their labels. */
  async list(limit = 20) {
    const [clusters, contacts] = await Promise.all([
      this.deps.memory.topClusters(limit),
      this.deps.memory.topContacts(limit),
    ]);
    return {
      clusters: await Promise.all(
        clusters.map(async (c) => ({
          id: c.id,
          count: c.count,
          firstSeen: c.firstSeen,
          lastSeen: c.lastSeen,
          level: c.level,
          topFlags: c.topFlags,
          label: (await this.deps.memory.getLabel(c.id))?.label ?? null,
        })),
      ),
      contacts: await Promise.all(
        contacts.map(async (c) => ({
          id: c.id,
          kind: c.kind,
          count: c.count,
          firstSeen: c.firstSeen,
          clusters: c.clusters.length,
          label: (await this.deps.memory.getLabel(c.id))?.label ?? null,
        })),
      ),
    };
  }
}
