import { randomUUID } from 'node:crypto';
import type { RecentId, RecentIdsKeep } from '../../core/recent-ids.js';
import type { UserRef } from '../../core/user-ref.js';
import { StoreError } from '../../errors.js';
import type { UserLease, UserStore } from '../../ports/user-store.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';
import { redisScript, runScript } from './redis-script.js';

/**
 * Writes fields of the user record and, with a second key, releases the user's lease if the token
 * still holds it: one command instead of a MULTI of HSET, HDEL, EXPIRE and a release script.
 * KEYS: record[, lease]. ARGV: expiry seconds ('0': leave it), number of pairs to set, token,
 * the pairs (name, value), then the names to delete.
 */
const WRITE_AND_RELEASE = redisScript(`
local count = tonumber(ARGV[2])
local last = 3 + 2 * count
if count > 0 then redis.call('HSET', KEYS[1], unpack(ARGV, 4, last)) end
if #ARGV > last then redis.call('HDEL', KEYS[1], unpack(ARGV, last + 1)) end
if ARGV[1] ~= '0' then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if KEYS[2] and redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
return 1`);

/** Takes the lease (SET NX PX) and reads one field after it. KEYS: lease, record. ARGV: token, ms, field. */
const LEASE_AND_READ = redisScript(`
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return false end
return {redis.call('HGET', KEYS[2], ARGV[3])}`);

/**
 * core/recent-ids' addRecentId on a field of the record, then HDEL of the fields to clear and
 * EXPIRE, in one command (was HGET, then a MULTI). Entries are kept as stored text.
 * KEYS: record. ARGV: field, id, seconds, since seconds, most kept, expiry seconds, fields to clear.
 */
const ADD_RECENT_ID = redisScript(`
local id = tonumber(ARGV[2])
local since = tonumber(ARGV[4])
local kept = {}
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if stored then
  for part in string.gmatch(stored, '[^,]+') do
    local known, at = string.match(part, '^(%-?%d+)%.(%-?%d+)$')
    if known and tonumber(at) >= since and tonumber(known) ~= id then kept[#kept + 1] = part end
  end
end
kept[#kept + 1] = ARGV[2] .. '.' .. ARGV[3]
local first = math.max(1, #kept - tonumber(ARGV[5]) + 1)
redis.call('HSET', KEYS[1], ARGV[1], table.concat(kept, ',', first))
if #ARGV > 6 then redis.call('HDEL', KEYS[1], unpack(ARGV, 7)) end
redis.call('EXPIRE', KEYS[1], ARGV[6])
return 1`);

/** One hash per user, expiring after inactivity: small (listpack) and erasable in one DEL. */
export class RedisUserStore implements UserStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly ttlSeconds: number,
  ) {}

  async getAll(user: UserRef): Promise<Record<string, string>> {
    return wrap('read user', () => this.redis.hgetall(this.keys.user(user)));
  }

  async get(user: UserRef, field: string): Promise<string | null> {
    return wrap('read user field', () => this.redis.hget(this.keys.user(user), field));
  }

  async set(user: UserRef, fields: Record<string, string | null>): Promise<void> {
    await wrap('write user', () =>
      runScript(
        this.redis,
        WRITE_AND_RELEASE,
        [this.keys.user(user)],
        writeArgs(fields, this.ttlSeconds, ''),
      ),
    );
  }

  async addRecentId(
    user: UserRef,
    field: string,
    entry: RecentId,
    keep: RecentIdsKeep,
    clear: readonly string[] = [],
  ): Promise<void> {
    const [id, at] = entry;
    await wrap('write user field', () =>
      runScript(
        this.redis,
        ADD_RECENT_ID,
        [this.keys.user(user)],
        [field, id, at, keep.sinceSeconds, keep.max, this.ttlSeconds, ...clear],
      ),
    );
  }

  async erase(user: UserRef): Promise<void> {
    await wrap('erase user', () => this.redis.del(this.keys.user(user)));
  }

  async lease(user: UserRef, ttlMs: number, field: string): Promise<UserLease | null> {
    const token = randomUUID();
    const reply = (await wrap('take user lease', () =>
      runScript(
        this.redis,
        LEASE_AND_READ,
        [this.keys.userLease(user), this.keys.user(user)],
        [token, Math.max(1, Math.ceil(ttlMs)), field],
      ),
    )) as [string | null] | null;
    return reply ? { token, value: reply[0] ?? null } : null;
  }

  async release(user: UserRef, token: string, fields?: Record<string, string | null>): Promise<void> {
    const args = fields ? writeArgs(fields, this.ttlSeconds, token) : ['0', 0, token];
    await wrap(fields ? 'write user and release lease' : 'release user lease', () =>
      runScript(this.redis, WRITE_AND_RELEASE, [this.keys.user(user), this.keys.userLease(user)], args),
    );
  }
}

/** WRITE_AND_RELEASE's arguments: expiry, pair count, token, pairs, then the names to delete. */
function writeArgs(
  fields: Record<string, string | null>,
  ttlSeconds: number,
  token: string,
): Array<string | number> {
  const pairs: string[] = [];
  const toDelete: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value === null) toDelete.push(name);
    else pairs.push(name, value);
  }
  return [ttlSeconds, pairs.length / 2, token, ...pairs, ...toDelete];
}

export async function wrap<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new StoreError(`Redis failed to ${what}`, { cause: error });
  }
}
