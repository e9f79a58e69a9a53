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
import { idleMs, type OperatorStoreOptions, touchSession } from '../memory/memory-operator-store.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';
import { wrap } from './redis-user-store.js';

// KEYS: account, names, lookup. ARGV: name, role, createdAt, hash, lookup id.
const ADD = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'role', ARGV[2], 'disabled', '0', 'createdAt', ARGV[3], 'hash', ARGV[4], 'lookup', ARGV[5])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], ARGV[1])
return 1`;

// KEYS: account, new lookup, lookup key prefix. ARGV: name, hash, lookup id.
const RESET = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local old = redis.call('HGET', KEYS[1], 'lookup')
if old then redis.call('DEL', KEYS[3] .. old) end
redis.call('HSET', KEYS[1], 'hash', ARGV[2], 'lookup', ARGV[3])
redis.call('SET', KEYS[2], ARGV[1])
return 1`;

// KEYS: failures, lock. ARGV: window ms, max failures, lock ms. Returns 1 when this failure locked.
const FAIL = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if n >= tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`;

// KEYS: failures. ARGV: window ms. Returns the count (the counter never outlives its window).
const COUNT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/**
 * Accounts as hashes under the {ops} tag with a set of names and a lookup index from the keyed hash
 * of each secret; sessions and failure counters as expiring keys (their TTLs do the cleaning).
 */
export class RedisOperatorStore implements OperatorStore {
  private readonly lockout: LockoutPolicy;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly options: OperatorStoreOptions,
  ) {
    this.lockout = options.lockout ?? DEFAULT_LOCKOUT;
  }

  async add(name: string, role: OperatorRole, now: number) {
    const secret = newSecret();
    const lookup = secretLookupId(this.options.hashSecret, secret);
    const hash = await hashOperatorSecret(secret);
    const done = await wrap('add operator', () =>
      this.redis.eval(
        ADD,
        3,
        this.keys.operatorAccount(name),
        this.keys.operatorNames(),
        this.keys.operatorLookup(lookup),
        name,
        role,
        String(now),
        hash,
        lookup,
      ),
    );
    if (done !== 1) throw new AccountExistsError(name);
    return { name, role, secret };
  }

  async get(name: string): Promise<OperatorAccount | null> {
    const fields = await wrap('read operator', () => this.redis.hgetall(this.keys.operatorAccount(name)));
    return fields.name ? publicView(fields) : null;
  }

  async list(): Promise<OperatorAccount[]> {
    const names = await wrap('list operators', () => this.redis.smembers(this.keys.operatorNames()));
    const accounts: OperatorAccount[] = [];
    for (const name of names.sort()) {
      const a = await this.get(name);
      if (a) accounts.push(a);
    }
    return accounts;
  }

  async count(): Promise<number> {
    return wrap('count operators', () => this.redis.scard(this.keys.operatorNames()));
  }

  async disable(name: string): Promise<boolean> {
    const key = this.keys.operatorAccount(name);
    const exists = await wrap('read operator', () => this.redis.exists(key));
    if (!exists) return false;
    await wrap('disable operator', () => this.redis.hset(key, 'disabled', '1'));
    await this.endSessionsOf(name);
    return true;
  }

  async reset(name: string): Promise<string | null> {
    const secret = newSecret();
    const lookup = secretLookupId(this.options.hashSecret, secret);
    const hash = await hashOperatorSecret(secret);
    const done = await wrap('reset operator', () =>
      this.redis.eval(
        RESET,
        3,
        this.keys.operatorAccount(name),
        this.keys.operatorLookup(lookup),
        this.keys.operatorLookup(''),
        name,
        hash,
        lookup,
      ),
    );
    if (done !== 1) return null;
    // A reset is what a supervisor does when a secret may be known to someone else: whoever
    // logged in with it is logged out too.
    await this.endSessionsOf(name);
    return secret;
  }

  private async endSessionsOf(name: string): Promise<void> {
    const index = this.keys.operatorSessionsOf(name);
    const ids = await wrap('list sessions', () => this.redis.smembers(index));
    // One key at a time: session keys live in different hash slots on a cluster.
    for (const id of ids) await wrap('end session', () => this.redis.del(this.keys.operatorSession(id)));
    await wrap('end sessions', () => this.redis.del(index));
  }

  async verify(name: string | undefined, secret: string): Promise<OperatorAccount | null> {
    const lookup = secretLookupId(this.options.hashSecret, secret);
    const owner = await wrap('find operator', () => this.redis.get(this.keys.operatorLookup(lookup)));
    if (!owner || (name !== undefined && owner !== name)) return null;
    const fields = await wrap('read operator', () => this.redis.hgetall(this.keys.operatorAccount(owner)));
    if (!fields.hash || fields.lookup !== lookup) return null;
    if (!(await verifyOperatorSecret(secret, fields.hash)) || fields.disabled === '1') return null;
    return publicView(fields);
  }

  async createSession(name: string, now: number): Promise<OperatorSession> {
    const expiresAt = now + this.options.sessionHours * 3_600_000;
    const idleExpiresAt = Math.min(expiresAt, now + idleMs(this.options));
    const session = { id: newToken(), name, csrfToken: newToken(), expiresAt, idleExpiresAt };
    await wrap('create session', () =>
      this.redis.set(
        this.keys.operatorSession(session.id),
        JSON.stringify(session),
        'PX',
        idleExpiresAt - now,
      ),
    );
    const index = this.keys.operatorSessionsOf(name);
    await wrap('index session', () =>
      this.redis
        .multi()
        .sadd(index, session.id)
        .pexpire(index, expiresAt - now)
        .exec(),
    );
    return session;
  }

  async getSession(id: string, now: number): Promise<OperatorSession | null> {
    const raw = await wrap('read session', () => this.redis.get(this.keys.operatorSession(id)));
    if (!raw) return null;
    const next = touchSession(JSON.parse(raw) as OperatorSession, now, this.options);
    if (!next) {
      await this.deleteSession(id);
      return null;
    }
    // XX: a logout that ran since the read stays a logout (never recreate a deleted session).
    await wrap('touch session', () =>
      this.redis.set(
        this.keys.operatorSession(id),
        JSON.stringify(next),
        'PX',
        Math.max(1, next.idleExpiresAt - now),
        'XX',
      ),
    );
    return next;
  }

  async deleteSession(id: string): Promise<void> {
    const raw = await wrap('read session', () => this.redis.get(this.keys.operatorSession(id)));
    await wrap('delete session', () => this.redis.del(this.keys.operatorSession(id)));
    if (raw) {
      const { name } = JSON.parse(raw) as OperatorSession;
      await wrap('unindex session', () => this.redis.srem(this.keys.operatorSessionsOf(name), id));
    }
  }

  async recordFailure(subject: string, _now: number, policy = this.lockout): Promise<boolean> {
    const locked = await wrap('count failure', () =>
      this.redis.eval(
        FAIL,
        2,
        this.keys.operatorFailures(subject),
        this.keys.operatorLockout(subject),
        String(policy.windowMs),
        String(policy.maxFailures),
        String(policy.lockMs),
      ),
    );
    return locked === 1;
  }

  async countFailure(subject: string, _now: number, windowMs: number): Promise<number> {
    return Number(
      await wrap('count failure', () =>
        this.redis.eval(COUNT, 1, this.keys.operatorFailures(subject), String(windowMs)),
      ),
    );
  }

  async isLockedOut(subject: string, _now: number): Promise<boolean> {
    return (await wrap('read lockout', () => this.redis.exists(this.keys.operatorLockout(subject)))) === 1;
  }

  async clearFailures(subject: string): Promise<void> {
    await wrap('clear failures', () => this.redis.del(this.keys.operatorFailures(subject)));
  }
}

function publicView(fields: Record<string, string>): OperatorAccount {
  return {
    name: fields.name ?? '',
    role: fields.role === 'supervisor' ? 'supervisor' : 'operator',
    disabled: fields.disabled === '1',
    createdAt: Number(fields.createdAt ?? 0),
  };
}
