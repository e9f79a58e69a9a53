import type { Clock } from '../../ports/clock.js';
import { systemClock } from '../../ports/clock.js';
import type { DedupeStore } from '../../ports/dedupe-store.js';

/** In-process DedupeStore; expired marks are swept lazily so memory stays bounded. */
export class MemoryDedupeStore implements DedupeStore {
  private readonly marks = new Map<string, number>();
  private writesSinceSweep = 0;

  constructor(private readonly clock: Clock = systemClock) {}

  async markIfNew(scope: string, id: string, ttlSeconds: number): Promise<boolean> {
    const key = `${scope}\u0000${id}`;
    const now = this.clock.now();
    const expiresAt = this.marks.get(key);
    if (expiresAt !== undefined && expiresAt > now) return false;
    this.marks.set(key, now + ttlSeconds * 1000);
    if (++this.writesSinceSweep >= 1000) this.sweep(now);
    return true;
  }

  async forget(scope: string, id: string): Promise<void> {
    this.marks.delete(`${scope}\u0000${id}`);
  }

  async has(scope: string, id: string): Promise<boolean> {
    const expiresAt = this.marks.get(`${scope}\u0000${id}`);
    return expiresAt !== undefined && expiresAt > this.clock.now();
  }

  private sweep(now: number): void {
    this.writesSinceSweep = 0;
    for (const [key, expiresAt] of this.marks) if (expiresAt <= now) this.marks.delete(key);
  }
}
