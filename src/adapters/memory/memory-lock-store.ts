import { randomUUID } from 'node:crypto';
import type { Clock } from '../../ports/clock.js';
import { systemClock } from '../../ports/clock.js';
import type { LockStore } from '../../ports/lock-store.js';

/** In-process leases with expiry, matching the Redis SET NX PX behaviour. */
export class MemoryLockStore implements LockStore {
  private readonly leases = new Map<string, { token: string; expiresAt: number }>();

  constructor(private readonly clock: Clock = systemClock) {}

  async acquire(name: string, ttlMs: number): Promise<string | null> {
    const now = this.clock.now();
    const lease = this.leases.get(name);
    if (lease && lease.expiresAt > now) return null;
    const token = randomUUID();
    this.leases.set(name, { token, expiresAt: now + ttlMs });
    return token;
  }

  async release(name: string, token: string): Promise<void> {
    if (this.leases.get(name)?.token === token) this.leases.delete(name);
  }
}
