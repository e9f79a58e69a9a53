import type { Clock } from '../../ports/clock.js';
import type { OpinionCache } from '../openai/offer-second-opinion.js';

/** Second opinions cached in process memory (no Redis), bounded so that it cannot grow forever. */
export class MemoryOpinionCache implements OpinionCache {
  private readonly entries = new Map<string, { value: string; until: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries = 1000,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const e = this.entries.get(key);
    if (!e || e.until <= this.clock.now()) return undefined;
    return e.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, until: this.clock.now() + ttlSeconds * 1000 });
  }
}
