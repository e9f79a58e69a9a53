import { STATS_RETENTION_DAYS, type StatsStore } from '../../ports/stats-store.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';
import { wrap } from './redis-user-store.js';

/**
 * One hash per day (HINCRBY), expiring STATS_RETENTION_DAYS after its last write. Increments
 * asked for while a write is being prepared are summed and sent together, one transaction per
 * day (a day is one key, so one slot): an offer check counts a dozen fields, and many checks run
 * at once. Each caller's promise settles when the transaction holding its increment did.
 */
export class RedisStatsStore implements StatsStore {
  /** day -> field -> amount, not sent yet; with the callers waiting for it. */
  private pending = new Map<string, Map<string, number>>();
  private waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  private scheduled = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  increment(day: string, field: string, by = 1): Promise<void> {
    let fields = this.pending.get(day);
    if (!fields) {
      fields = new Map();
      this.pending.set(day, fields);
    }
    fields.set(field, (fields.get(field) ?? 0) + by);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
    return done;
  }

  private async flush(): Promise<void> {
    const pending = this.pending;
    const waiters = this.waiters;
    this.pending = new Map();
    this.waiters = [];
    this.scheduled = false;
    try {
      await wrap('count stats', () =>
        Promise.all(
          [...pending].map(([day, fields]) => {
            const key = this.keys.statsDay(day);
            const tx = this.redis.multi();
            for (const [field, by] of fields) tx.hincrby(key, field, by);
            return tx.expire(key, STATS_RETENTION_DAYS * 86_400).exec();
          }),
        ),
      );
      for (const w of waiters) w.resolve();
    } catch (error) {
      for (const w of waiters) w.reject(error);
    }
  }

  async read(days: string[]): Promise<Record<string, Record<string, number>>> {
    // One HGETALL per day, sent together: the days hash to different slots, so on a Cluster they
    // cannot share a pipeline (ioredis refuses one whose keys span slots).
    const raws = await wrap('read stats', () =>
      Promise.all(days.map((day) => this.redis.hgetall(this.keys.statsDay(day)))),
    );
    const out: Record<string, Record<string, number>> = {};
    days.forEach((day, i) => {
      const fields: Record<string, number> = {};
      for (const [field, value] of Object.entries(raws[i] ?? {})) {
        const n = Number(value);
        if (Number.isFinite(n)) fields[field] = n;
      }
      out[day] = fields;
    });
    return out;
  }
}
