import { STATS_RETENTION_DAYS, type StatsStore } from '../../ports/stats-store.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';
import { wrap } from './redis-user-store.js';

/** One hash per day (HINCRBY), expiring STATS_RETENTION_DAYS after its last write. */
export class RedisStatsStore implements StatsStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async increment(day: string, field: string, by = 1): Promise<void> {
    const key = this.keys.statsDay(day);
    await wrap('count stats', () =>
      this.redis
        .multi()
        .hincrby(key, field, by)
        .expire(key, STATS_RETENTION_DAYS * 86_400)
        .exec(),
    );
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
