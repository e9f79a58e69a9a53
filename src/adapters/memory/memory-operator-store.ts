import { AccountExistsError } from '../../errors.js';
import {
  hashOperatorSecret,
  newSecret,
  newToken,
  secretLookupId,
  verifyOperatorSecret,
} from '../../operator/operator-secret.js';
import {
  DEFAULT_LOCKOUT,
  type LockoutPolicy,
  type OperatorAccount,
  type OperatorRole,
  type OperatorSession,
  type OperatorStore,
} from '../../ports/operator-store.js';

interface StoredAccount extends OperatorAccount {
  hash: string;
  lookup: string;
}

export interface OperatorStoreOptions {
  hashSecret: string;
  sessionHours: number;
  /** A session unused this long ends (default 60). */
  sessionIdleMinutes?: number;
  lockout?: LockoutPolicy;
}

/** The session after a use at `now`, or null when it has expired (absolute or idle). */
export function touchSession(
  session: OperatorSession,
  now: number,
  options: OperatorStoreOptions,
): OperatorSession | null {
  if (session.expiresAt <= now || session.idleExpiresAt <= now) return null;
  return { ...session, idleExpiresAt: Math.min(session.expiresAt, now + idleMs(options)) };
}

export function idleMs(options: OperatorStoreOptions): number {
  return (options.sessionIdleMinutes ?? 60) * 60_000;
}

/** Accounts and sessions in process memory (the embedded default; gone on restart). */
export class MemoryOperatorStore implements OperatorStore {
  private readonly accounts = new Map<string, StoredAccount>();
  private readonly lookups = new Map<string, string>();
  private readonly sessions = new Map<string, OperatorSession>();
  private readonly failures = new Map<string, { count: number; since: number }>();
  private readonly locks = new Map<string, number>();
  private readonly lockout: LockoutPolicy;

  constructor(private readonly options: OperatorStoreOptions) {
    this.lockout = options.lockout ?? DEFAULT_LOCKOUT;
  }

  async add(name: string, role: OperatorRole, now: number) {
    if (this.accounts.has(name)) throw new AccountExistsError(name);
    const secret = newSecret();
    const lookup = secretLookupId(this.options.hashSecret, secret);
    const hash = await hashOperatorSecret(secret);
    if (this.accounts.has(name)) throw new AccountExistsError(name);
    this.accounts.set(name, { name, role, disabled: false, createdAt: now, hash, lookup });
    this.lookups.set(lookup, name);
    return { name, role, secret };
  }

  async get(name: string): Promise<OperatorAccount | null> {
    const a = this.accounts.get(name);
    return a ? publicView(a) : null;
  }

  async list(): Promise<OperatorAccount[]> {
    return [...this.accounts.values()].map(publicView).sort((a, b) => a.name.localeCompare(b.name));
  }

  async count(): Promise<number> {
    return this.accounts.size;
  }

  async disable(name: string): Promise<boolean> {
    const a = this.accounts.get(name);
    if (!a) return false;
    a.disabled = true;
    this.endSessionsOf(name);
    return true;
  }

  async reset(name: string): Promise<string | null> {
    const a = this.accounts.get(name);
    if (!a) return null;
    const secret = newSecret();
    const hash = await hashOperatorSecret(secret);
    this.lookups.delete(a.lookup);
    a.lookup = secretLookupId(this.options.hashSecret, secret);
    a.hash = hash;
    this.lookups.set(a.lookup, name);
    this.endSessionsOf(name);
    return secret;
  }

  private endSessionsOf(name: string): void {
    for (const [id, s] of this.sessions) if (s.name === name) this.sessions.delete(id);
  }

  async verify(name: string | undefined, secret: string): Promise<OperatorAccount | null> {
    const owner = this.lookups.get(secretLookupId(this.options.hashSecret, secret));
    const a = owner ? this.accounts.get(owner) : undefined;
    if (!a || (name !== undefined && a.name !== name)) return null;
    if (!(await verifyOperatorSecret(secret, a.hash)) || a.disabled) return null;
    return publicView(a);
  }

  async createSession(name: string, now: number): Promise<OperatorSession> {
    const session = {
      id: newToken(),
      name,
      csrfToken: newToken(),
      expiresAt: now + this.options.sessionHours * 3_600_000,
      idleExpiresAt: 0,
    };
    session.idleExpiresAt = Math.min(session.expiresAt, now + idleMs(this.options));
    this.sessions.set(session.id, session);
    return { ...session };
  }

  async getSession(id: string, now: number): Promise<OperatorSession | null> {
    const s = this.sessions.get(id);
    if (!s) return null;
    const next = touchSession(s, now, this.options);
    if (!next) {
      this.sessions.delete(id);
      return null;
    }
    this.sessions.set(id, next);
    return { ...next };
  }

  async deleteSession(id: string): Promise<void> {
    this.sessions.delete(id);
  }

  async recordFailure(subject: string, now: number, policy = this.lockout): Promise<boolean> {
    const count = this.countInWindow(subject, now, policy.windowMs);
    if (count < policy.maxFailures) return false;
    this.locks.set(subject, now + policy.lockMs);
    this.failures.delete(subject);
    return true;
  }

  async countFailure(subject: string, now: number, windowMs: number): Promise<number> {
    return this.countInWindow(subject, now, windowMs);
  }

  /** A fixed window from the first failure, as the Redis adapter's expiring counter. */
  private countInWindow(subject: string, now: number, windowMs: number): number {
    const f = this.failures.get(subject);
    const current = f && now - f.since < windowMs ? f : { count: 0, since: now };
    current.count += 1;
    this.failures.set(subject, current);
    return current.count;
  }

  async isLockedOut(subject: string, now: number): Promise<boolean> {
    const until = this.locks.get(subject);
    if (until === undefined) return false;
    if (until <= now) {
      this.locks.delete(subject);
      return false;
    }
    return true;
  }

  async clearFailures(subject: string): Promise<void> {
    this.failures.delete(subject);
  }
}

function publicView(a: StoredAccount): OperatorAccount {
  return { name: a.name, role: a.role, disabled: a.disabled, createdAt: a.createdAt };
}
