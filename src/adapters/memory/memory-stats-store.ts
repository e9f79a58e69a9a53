import { STATS_RETENTION_DAYS, type StatsStore } from '../../ports/stats-store.js';

/** Daily counters in process memory: enough for one process in development. */
export class MemoryStatsStore implements StatsStore {
  private readonly days = new Map<string, Map<string, number>>();

  async increment(day: string, field: string, by = 1): Promise<void> {
    let fields = this.days.get(day);
    if (!fields) {
      fields = new Map();
      this.days.set(day, fields);
      // Keep memory bounded like the Redis expiry does: drop the oldest days.
      if (this.days.size > STATS_RETENTION_DAYS) {
        const oldest = [...this.days.keys()].sort()[0];
        if (oldest !== undefined) this.days.delete(oldest);
      }
    }
    fields.set(field, (fields.get(field) ?? 0) + by);
  }

  async read(days: string[]): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const day of days) out[day] = Object.fromEntries(this.days.get(day) ?? []);
    return out;
  }
}
