import { randomUUID } from 'node:crypto';
import { addRecentId, type RecentId, type RecentIdsKeep } from '../../core/recent-ids.js';
import type { UserRef } from '../../core/user-ref.js';
import { userKeyOf } from '../../core/user-ref.js';
import type { Clock } from '../../ports/clock.js';
import { systemClock } from '../../ports/clock.js';
import type { UserLease, UserStore } from '../../ports/user-store.js';

interface Record_ {
  fields: Map<string, string>;
  expiresAt: number;
}

/** In-process UserStore with the same expiry semantics as the Redis one. */
export class MemoryUserStore implements UserStore {
  private readonly records = new Map<string, Record_>();
  /** Users' leases, by user key: apart from the records, as in Redis (erasing keeps the lease). */
  private readonly leases = new Map<string, { token: string; expiresAt: number }>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly clock: Clock = systemClock,
  ) {}

  private live(user: UserRef): Record_ | undefined {
    const key = userKeyOf(user);
    const record = this.records.get(key);
    if (record && record.expiresAt <= this.clock.now()) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }

  async getAll(user: UserRef): Promise<Record<string, string>> {
    return Object.fromEntries(this.live(user)?.fields ?? []);
  }

  async get(user: UserRef, field: string): Promise<string | null> {
    return this.live(user)?.fields.get(field) ?? null;
  }

  async set(user: UserRef, fields: Record<string, string | null>): Promise<void> {
    const record = this.live(user) ?? { fields: new Map<string, string>(), expiresAt: 0 };
    for (const [name, value] of Object.entries(fields)) {
      if (value === null) record.fields.delete(name);
      else record.fields.set(name, value);
    }
    record.expiresAt = this.clock.now() + this.ttlSeconds * 1000;
    if (record.fields.size === 0) this.records.delete(userKeyOf(user));
    else this.records.set(userKeyOf(user), record);
  }

  async addRecentId(
    user: UserRef,
    field: string,
    entry: RecentId,
    keep: RecentIdsKeep,
    clear: readonly string[] = [],
  ): Promise<void> {
    // Read and written with no await between: one step, as the Redis script.
    const stored = this.live(user)?.fields.get(field) ?? null;
    const fields: Record<string, string | null> = { [field]: addRecentId(stored, entry, keep) };
    for (const name of clear) fields[name] = null;
    await this.set(user, fields);
  }

  async erase(user: UserRef): Promise<void> {
    this.records.delete(userKeyOf(user));
  }

  async lease(user: UserRef, ttlMs: number, field: string): Promise<UserLease | null> {
    const key = userKeyOf(user);
    const now = this.clock.now();
    const held = this.leases.get(key);
    if (held && held.expiresAt > now) return null;
    const token = randomUUID();
    this.leases.set(key, { token, expiresAt: now + ttlMs });
    return { token, value: await this.get(user, field) };
  }

  async release(user: UserRef, token: string, fields?: Record<string, string | null>): Promise<void> {
    if (fields) await this.set(user, fields);
    const key = userKeyOf(user);
    if (this.leases.get(key)?.token === token) this.leases.delete(key);
  }
}
