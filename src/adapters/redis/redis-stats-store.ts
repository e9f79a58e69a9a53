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
    if (days.length === 0) return {};
    const pipeline = this.redis.pipeline();
    for (const day of days) pipeline.hgetall(this.keys.statsDay(day));
    const results = await wrap('read stats', () => pipeline.exec());
    const out: Record<string, Record<string, number>> = {};
    days.forEach((day, i) => {
      const [error, raw] = results?.[i] ?? [null, {}];
      if (error) throw error;
      const fields: Record<string, number> = {};
      for (const [field, value] of Object.entries((raw ?? {}) as Record<string, string>)) {
        const n = Number(value);
        if (Number.isFinite(n)) fields[field] = n;
      }
      out[day] = fields;
    });
    return out;
  }
}
