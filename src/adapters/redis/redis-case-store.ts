import { randomUUID } from 'node:crypto';
import {
  type AuditEntry,
  type Case,
  type CaseLevel,
  type CaseState,
  type CaseSummary,
  type DeliveryState,
  type NewCase,
  openCase,
  summarize,
  TRANSCRIPT_CAP,
  type TranscriptEntry,
} from '../../core/cases/case.js';
import { queueScore } from '../../core/cases/queue.js';
import { isIdleClaim, type SlaPolicy, slaStatus } from '../../core/cases/sla.js';
import {
  addCaseNote,
  type CaseChange,
  claimCase,
  forgetCasePerson,
  markCaseForgetRequested,
  markCaseSlaAlert,
  markCaseUnreachable,
  raiseCaseLevel,
  releaseCase,
  resolveCase,
  setCaseIntake,
  setEntryDelivery,
  touchCaseOperator,
} from '../../core/cases/transitions.js';
import type { UserRef } from '../../core/user-ref.js';
import { StoreError } from '../../errors.js';
import type { CaseStore, NewTranscriptEntry } from '../../ports/case-store.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';
import { wrap } from './redis-user-store.js';

const AUDIT_MAXLEN = 1000;
const CAS_ATTEMPTS = 50;

// KEYS: open index, new case, waiting queue, new transcript. ARGV: id, case JSON, score,
// existing-case key prefix, then transcript entries. Returns the id of the open case.
const CREATE = `
local existing = redis.call('GET', KEYS[1])
if existing and redis.call('EXISTS', ARGV[4] .. existing) == 1 then return existing end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
for i = 5, #ARGV do redis.call('RPUSH', KEYS[4], ARGV[i]) end
if #ARGV >= 5 then redis.call('LTRIM', KEYS[4], -${TRANSCRIPT_CAP}, -1) end
return ARGV[1]`;

// Compare-and-set of one case: the change is computed by the pure transitions, and written only
// if nobody changed the case since it was read. KEYS: case, waiting, claimed, resolved, open
// index. ARGV: old JSON, new JSON, id, new state, score in the new state's queue.
const CAS = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[3])
redis.call('ZREM', KEYS[3], ARGV[3])
redis.call('ZREM', KEYS[4], ARGV[3])
local slot = { waiting = 2, claimed = 3, resolved = 4 }
redis.call('ZADD', KEYS[slot[ARGV[4]]], ARGV[5], ARGV[3])
if ARGV[4] == 'resolved' and redis.call('GET', KEYS[5]) == ARGV[3] then redis.call('DEL', KEYS[5]) end
return 1`;

// KEYS: case, transcript. ARGV: entries. Appends only to a case that exists.
const APPEND = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 1, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
redis.call('LTRIM', KEYS[2], -${TRANSCRIPT_CAP}, -1)
return 1`;

// KEYS: transcript. ARGV: index, old entry JSON, new entry JSON.
const SET_ENTRY = `
if redis.call('LINDEX', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('LSET', KEYS[1], ARGV[1], ARGV[3])
return 1`;

// KEYS: case, transcript, audit, waiting, claimed, resolved, open index. ARGV: id.
const ERASE = `
local n = redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('ZREM', KEYS[6], ARGV[1])
if redis.call('GET', KEYS[7]) == ARGV[1] then redis.call('DEL', KEYS[7]) end
return n`;

/**
 * Cases in Redis. A case is one JSON string (without its transcript), its transcript a capped
 * list, its audit a capped stream, and each state a sorted set: waiting and claimed scored in
 * queue order, resolved by resolution time (for retention). Changes are compare-and-set scripts
 * over keys that share the {cases} hash tag.
 */
export class RedisCaseStore implements CaseStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly sla: SlaPolicy,
  ) {}

  async createOrGetOpen(input: NewCase, now: number): Promise<{ case: Case; created: boolean }> {
    const fresh = openCase(randomUUID(), input, now, randomUUID);
    const { transcript, ...stored } = fresh;
    const user: UserRef = { channel: input.channel, id: input.userId };
    const openId = (await wrap('open case', () =>
      this.redis.eval(
        CREATE,
        4,
        this.keys.caseOpen(user),
        this.keys.caseData(fresh.id),
        this.keys.caseQueue('waiting'),
        this.keys.caseTranscript(fresh.id),
        fresh.id,
        JSON.stringify(stored),
        queueScore(fresh),
        this.keys.caseData(''),
        ...transcript.map((e) => JSON.stringify(e)),
      ),
    )) as string;
    if (openId === fresh.id) return { case: fresh, created: true };
    const existing = await this.get(openId);
    if (!existing) throw new StoreError('open case vanished while being read');
    return { case: existing, created: false };
  }

  async get(id: string): Promise<Case | null> {
    const result = await wrap('read case', () =>
      this.redis.multi().get(this.keys.caseData(id)).lrange(this.keys.caseTranscript(id), 0, -1).exec(),
    );
    const raw = result?.[0]?.[1] as string | null;
    if (!raw) return null;
    const lines = (result?.[1]?.[1] as string[] | undefined) ?? [];
    return {
      ...(JSON.parse(raw) as CaseSummary),
      transcript: lines.map((l) => JSON.parse(l) as TranscriptEntry),
    };
  }

  async getOpenForUser(user: UserRef): Promise<Case | null> {
    const id = await wrap('read open case', () => this.redis.get(this.keys.caseOpen(user)));
    if (!id) return null;
    const c = await this.get(id);
    return c && c.state !== 'resolved' ? c : null;
  }

  async list(state: CaseState, limit = 500): Promise<CaseSummary[]> {
    const key = this.keys.caseQueue(state);
    const stop = limit >= Number.MAX_SAFE_INTEGER ? '-1' : String(limit - 1);
    const ids = await wrap('list cases', () =>
      state === 'resolved' ? this.redis.zrevrange(key, '0', stop) : this.redis.zrange(key, '0', stop),
    );
    return this.summaries(ids);
  }

  async claim(id: string, operator: string, now: number): Promise<CaseChange> {
    return this.change(id, (c) => claimCase(c, operator, now));
  }

  async release(id: string, operator: string | undefined, now: number, idleMs?: number): Promise<CaseChange> {
    return this.change(id, (c) => releaseCase(c, operator, now, idleMs));
  }

  async resolve(id: string, operator: string | undefined, outcome: string, now: number): Promise<CaseChange> {
    return this.change(id, (c) => resolveCase(c, operator, outcome, now));
  }

  async appendTranscript(id: string, entries: NewTranscriptEntry[]): Promise<TranscriptEntry[]> {
    const stored = entries.map((e) => ({ ...e, id: e.id ?? randomUUID() }));
    if (stored.length === 0) return [];
    const done = await wrap('append transcript', () =>
      this.redis.eval(
        APPEND,
        2,
        this.keys.caseData(id),
        this.keys.caseTranscript(id),
        ...stored.map((e) => JSON.stringify(e)),
      ),
    );
    return done === 1 ? stored : [];
  }

  async setDelivery(id: string, entryId: string, state: DeliveryState, failure?: string): Promise<boolean> {
    const key = this.keys.caseTranscript(id);
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const lines = await wrap('read transcript', () => this.redis.lrange(key, 0, -1));
      const index = lines.findIndex((l) => (JSON.parse(l) as TranscriptEntry).id === entryId);
      const line = lines[index];
      if (index < 0 || line === undefined) return false;
      const [next] = setEntryDelivery([JSON.parse(line) as TranscriptEntry], entryId, state, failure);
      const done = await wrap('set delivery', () =>
        this.redis.eval(SET_ENTRY, 1, key, String(index), line, JSON.stringify(next)),
      );
      if (done === 1) return true;
    }
    throw new StoreError('transcript kept changing while setting a delivery state');
  }

  async addNote(id: string, author: string, text: string, now: number): Promise<CaseChange> {
    return this.change(id, (c) => addCaseNote(c, author, text, now));
  }

  async setIntake(id: string, answers: Record<string, string>, now: number): Promise<CaseChange> {
    return this.change(id, (c) => setCaseIntake(c, answers, now));
  }

  async raiseLevel(
    id: string,
    level: CaseLevel,
    signals: string[],
    now: number,
    byModel = false,
  ): Promise<CaseChange> {
    return this.change(id, (c) => raiseCaseLevel(c, level, signals, now, byModel));
  }

  async markUnreachable(id: string, reason: string, now: number): Promise<CaseChange> {
    return this.change(id, (c) => markCaseUnreachable(c, reason, now));
  }

  async markForgetRequested(id: string, now: number): Promise<CaseChange> {
    return this.change(id, (c) => markCaseForgetRequested(c, now));
  }

  async forgetPerson(id: string, now: number): Promise<CaseChange> {
    const result = await this.change(id, (c) => forgetCasePerson(c, now));
    if (!result.ok) return result;
    await wrap('erase transcript', () => this.redis.del(this.keys.caseTranscript(id)));
    return { ok: true, case: { ...result.case, transcript: [] } };
  }

  async touchOperator(id: string, now: number): Promise<CaseChange> {
    return this.change(id, (c) => touchCaseOperator(c, now));
  }

  async markSlaAlert(id: string, now: number): Promise<CaseChange> {
    return this.change(id, (c) => markCaseSlaAlert(c, now));
  }

  async listSlaBreaches(now: number): Promise<CaseSummary[]> {
    const all = await this.list('waiting', Number.MAX_SAFE_INTEGER);
    return all.filter((c) => slaStatus(c, now, this.sla) === 'breached');
  }

  async listIdleClaims(now: number, idleMs: number): Promise<CaseSummary[]> {
    const all = await this.list('claimed', Number.MAX_SAFE_INTEGER);
    return all.filter((c) => isIdleClaim(c, now, idleMs));
  }

  async purgeResolvedBefore(time: number): Promise<number> {
    const ids = await wrap('list old cases', () =>
      this.redis.zrangebyscore(this.keys.caseQueue('resolved'), '-inf', `(${time}`),
    );
    let purged = 0;
    for (const id of ids) if (await this.erase(id)) purged += 1;
    return purged;
  }

  async erase(id: string): Promise<boolean> {
    const raw = await wrap('read case', () => this.redis.get(this.keys.caseData(id)));
    const c = raw ? (JSON.parse(raw) as CaseSummary) : undefined;
    const openKey = c
      ? this.keys.caseOpen({ channel: c.channel, id: c.userId })
      : this.keys.caseOpen({ channel: 'terminal', id: '' });
    const n = await wrap('erase case', () =>
      this.redis.eval(
        ERASE,
        7,
        this.keys.caseData(id),
        this.keys.caseTranscript(id),
        this.keys.caseAudit(id),
        this.keys.caseQueue('waiting'),
        this.keys.caseQueue('claimed'),
        this.keys.caseQueue('resolved'),
        openKey,
        id,
      ),
    );
    return n === 1;
  }

  async audit(entry: AuditEntry): Promise<void> {
    const fields = [
      'at',
      String(entry.at),
      'actor',
      entry.actor,
      'action',
      entry.action,
      'caseId',
      entry.caseId,
    ];
    if (entry.detail !== undefined) fields.push('detail', entry.detail);
    await wrap('append audit', () =>
      this.redis.xadd(this.keys.caseAudit(entry.caseId), 'MAXLEN', '~', String(AUDIT_MAXLEN), '*', ...fields),
    );
  }

  async trimAuditBefore(caseId: string, time: number): Promise<number> {
    // Entry ids are the Redis server's clock in ms: MINID drops everything older than `time`.
    return wrap('trim audit', () =>
      this.redis.xtrim(this.keys.caseAudit(caseId), 'MINID', `${Math.max(0, Math.floor(time))}-0`),
    );
  }

  async readAudit(caseId: string, limit = AUDIT_MAXLEN): Promise<AuditEntry[]> {
    const rows = (await wrap('read audit', () =>
      this.redis.xrevrange(this.keys.caseAudit(caseId), '+', '-', 'COUNT', limit),
    )) as Array<[string, string[]]>;
    return rows.reverse().map(([, fields]) => {
      const map = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
      const entry: AuditEntry = {
        at: Number(map.get('at')),
        actor: map.get('actor') ?? '',
        action: map.get('action') ?? '',
        caseId: map.get('caseId') ?? caseId,
      };
      const detail = map.get('detail');
      if (detail !== undefined) entry.detail = detail;
      return entry;
    });
  }

  private async summaries(ids: string[]): Promise<CaseSummary[]> {
    if (ids.length === 0) return [];
    const raws = await wrap('read cases', () => this.redis.mget(...ids.map((id) => this.keys.caseData(id))));
    return raws.filter((r): r is string => typeof r === 'string').map((r) => JSON.parse(r) as CaseSummary);
  }

  private async change(id: string, apply: (c: Case) => CaseChange): Promise<CaseChange> {
    const key = this.keys.caseData(id);
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const raw = await wrap('read case', () => this.redis.get(key));
      if (!raw) return { ok: false, reason: 'not_found' };
      const current = { ...(JSON.parse(raw) as CaseSummary), transcript: [] };
      const result = apply(current);
      if (!result.ok) return result;
      const next = summarize(result.case);
      const encoded = JSON.stringify(next);
      if (encoded === raw) return this.withTranscript(next);
      const score = next.state === 'resolved' ? (next.resolvedAt ?? next.updatedAt) : queueScore(next);
      const done = await wrap('change case', () =>
        this.redis.eval(
          CAS,
          5,
          key,
          this.keys.caseQueue('waiting'),
          this.keys.caseQueue('claimed'),
          this.keys.caseQueue('resolved'),
          this.keys.caseOpen({ channel: next.channel, id: next.userId }),
          raw,
          encoded,
          id,
          next.state,
          score,
        ),
      );
      if (done === 1) return this.withTranscript(next);
    }
    throw new StoreError('case kept changing while being updated');
  }

  private async withTranscript(c: CaseSummary): Promise<CaseChange> {
    const lines = await wrap('read transcript', () =>
      this.redis.lrange(this.keys.caseTranscript(c.id), 0, -1),
    );
    return { ok: true, case: { ...c, transcript: lines.map((l) => JSON.parse(l) as TranscriptEntry) } };
  }
}
