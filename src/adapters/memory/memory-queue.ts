import type { Clock } from '../../ports/clock.js';
import { systemClock } from '../../ports/clock.js';
import type { DoneMark, DurableQueue, QueueEntry, Readiness } from '../../ports/durable-queue.js';

interface Stored {
  id: string;
  payload: string;
  deliveries: number;
  owner: string | undefined;
  deliveredAt: number;
}

/**
 * In-process queue with consumer-group semantics: read hands out new entries, unacked ones stay
 * pending and can be reclaimed after they idle. Lost on process exit: the zero-config default only.
 */
export class MemoryQueue implements DurableQueue {
  private readonly entries = new Map<string, Stored>();
  private readonly fresh: string[] = [];
  private readonly dead: Array<{ id: string; payload: string; reason: string; at: number }> = [];
  private readonly waiters = new Set<() => void>();
  /** addOnce marks: id -> expiry time (ms); expired ones are swept now and then. */
  private readonly onceMarks = new Map<string, number>();
  private addsSinceSweep = 0;
  /** Done marks set by ack: id -> expiry time (ms), swept like the addOnce marks. */
  private readonly doneMarks = new Map<string, number>();
  private doneSinceSweep = 0;
  private sequence = 0;
  /** Ids per order key, in the order they were added. */
  private readonly orders = new Map<string, string[]>();

  constructor(
    readonly name: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async add(payload: string, orderKey?: string): Promise<string> {
    const id = `${this.clock.now()}-${this.sequence++}`;
    this.entries.set(id, { id, payload, deliveries: 0, owner: undefined, deliveredAt: 0 });
    this.fresh.push(id);
    if (orderKey !== undefined) {
      const order = this.orders.get(orderKey) ?? [];
      order.push(id);
      this.orders.set(orderKey, order);
    }
    for (const wake of this.waiters) wake();
    return id;
  }

  async addOnce(
    onceId: string,
    ttlSeconds: number,
    payload: string,
    orderKey?: string,
  ): Promise<string | null> {
    const now = this.clock.now();
    const expiresAt = this.onceMarks.get(onceId);
    if (expiresAt !== undefined && expiresAt > now) return null;
    // Marked before the add, so a second call for the same id in the meantime is a duplicate;
    // unmarked again if the add fails.
    this.onceMarks.set(onceId, now + ttlSeconds * 1000);
    let id: string;
    try {
      id = await this.add(payload, orderKey);
    } catch (error) {
      this.onceMarks.delete(onceId);
      throw error;
    }
    if (++this.addsSinceSweep >= 1000) {
      this.addsSinceSweep = 0;
      for (const [key, at] of this.onceMarks) if (at <= now) this.onceMarks.delete(key);
    }
    return id;
  }

  async read(consumer: string, count: number, blockMs: number): Promise<QueueEntry[]> {
    if (this.fresh.length === 0 && blockMs > 0) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, blockMs);
        this.waiters.add(wake);
      });
    }
    const out: QueueEntry[] = [];
    while (out.length < count && this.fresh.length > 0) {
      const stored = this.entries.get(this.fresh.shift()!);
      if (!stored) continue;
      this.hand(stored, consumer);
      out.push({ id: stored.id, payload: stored.payload, deliveries: stored.deliveries });
    }
    return out;
  }

  async reclaim(consumer: string, minIdleMs: number, count: number): Promise<QueueEntry[]> {
    const now = this.clock.now();
    const out: QueueEntry[] = [];
    for (const stored of this.entries.values()) {
      if (out.length >= count) break;
      if (stored.owner !== undefined && now - stored.deliveredAt >= minIdleMs) {
        this.hand(stored, consumer);
        out.push({ id: stored.id, payload: stored.payload, deliveries: stored.deliveries });
      }
    }
    return out;
  }

  async readiness(id: string, options: { orderKey?: string; doneId?: string }): Promise<Readiness> {
    if (options.doneId !== undefined && (this.doneMarks.get(options.doneId) ?? 0) > this.clock.now()) {
      return 'done';
    }
    if (options.orderKey === undefined) return 'go';
    const order = this.orders.get(options.orderKey);
    if (!order) return 'go';
    // Done entries leave the order; the one asked about counts by when it was added.
    const live = order.filter((x) => this.entries.has(x));
    if (live.length === 0) this.orders.delete(options.orderKey);
    else this.orders.set(options.orderKey, live);
    const added = sequenceOf(id);
    return live.some((x) => sequenceOf(x) < added) ? 'wait' : 'go';
  }

  async ack(id: string, orderKey?: string, done?: DoneMark): Promise<void> {
    this.entries.delete(id);
    if (done !== undefined) this.markDone(done);
    if (orderKey === undefined) return;
    const order = this.orders.get(orderKey)?.filter((x) => x !== id);
    if (!order || order.length === 0) this.orders.delete(orderKey);
    else this.orders.set(orderKey, order);
  }

  private markDone(done: DoneMark): void {
    const now = this.clock.now();
    this.doneMarks.set(done.id, now + done.ttlSeconds * 1000);
    if (++this.doneSinceSweep >= 1000) {
      this.doneSinceSweep = 0;
      for (const [key, at] of this.doneMarks) if (at <= now) this.doneMarks.delete(key);
    }
  }

  async deadLetter(entry: QueueEntry, reason: string): Promise<void> {
    this.dead.push({ id: entry.id, payload: entry.payload, reason, at: this.clock.now() });
    this.entries.delete(entry.id);
  }

  async trimDeadBefore(time: number): Promise<number> {
    const before = this.dead.length;
    const kept = this.dead.filter((d) => d.at >= time);
    this.dead.splice(0, this.dead.length, ...kept);
    return before - kept.length;
  }

  async depth(): Promise<{ waiting: number; pending: number; dead: number }> {
    const waiting = this.fresh.filter((id) => this.entries.has(id)).length;
    return { waiting, pending: this.entries.size - waiting, dead: this.dead.length };
  }

  /** Wakes blocked readers so that a stopping worker does not wait for its block timeout. */
  interrupt(): void {
    for (const wake of this.waiters) wake();
  }

  private hand(stored: Stored, consumer: string): void {
    stored.owner = consumer;
    stored.deliveries += 1;
    stored.deliveredAt = this.clock.now();
  }
}

/** Ids are `time-sequence`; the sequence alone orders them. */
function sequenceOf(id: string): number {
  return Number(id.slice(id.indexOf('-') + 1));
}
