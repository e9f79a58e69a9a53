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
  type TranscriptEntry,
} from '../../core/cases/case.js';
import { compareQueue } from '../../core/cases/queue.js';
import { isIdleClaim, type SlaPolicy, slaStatus } from '../../core/cases/sla.js';
import {
  addCaseNote,
  appendEntries,
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
import { type UserRef, userKeyOf } from '../../core/user-ref.js';
import type { CaseStore, NewTranscriptEntry } from '../../ports/case-store.js';

const AUDIT_CAP = 1000;

/** Cases in process memory (the embedded default): lost on restart, fine for a laptop demo. */
export class MemoryCaseStore implements CaseStore {
  private readonly cases = new Map<string, Case>();
  private readonly open = new Map<string, string>();
  private readonly audits = new Map<string, AuditEntry[]>();

  constructor(private readonly sla: SlaPolicy) {}

  async createOrGetOpen(input: NewCase, now: number): Promise<{ case: Case; created: boolean }> {
    const userKey = userKeyOf({ channel: input.channel, id: input.userId });
    const existingId = this.open.get(userKey);
    const existing = existingId ? this.cases.get(existingId) : undefined;
    if (existing && existing.state !== 'resolved') return { case: structuredClone(existing), created: false };
    const c = openCase(randomUUID(), input, now, randomUUID);
    this.cases.set(c.id, c);
    this.open.set(userKey, c.id);
    return { case: structuredClone(c), created: true };
  }

  async get(id: string): Promise<Case | null> {
    const c = this.cases.get(id);
    return c ? structuredClone(c) : null;
  }

  async getOpenForUser(user: UserRef): Promise<Case | null> {
    const id = this.open.get(userKeyOf(user));
    return id ? this.get(id) : null;
  }

  async list(state: CaseState, limit = 500): Promise<CaseSummary[]> {
    const found = [...this.cases.values()].filter((c) => c.state === state).map(summarize);
    if (state === 'resolved') found.sort((a, b) => (b.resolvedAt ?? 0) - (a.resolvedAt ?? 0));
    else found.sort(compareQueue);
    return structuredClone(found.slice(0, limit));
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
    const c = this.cases.get(id);
    const stored = entries.map((e) => ({ ...e, id: e.id ?? randomUUID() }));
    if (!c) return [];
    c.transcript = appendEntries(c.transcript, stored);
    return structuredClone(stored);
  }

  async setDelivery(id: string, entryId: string, state: DeliveryState, failure?: string): Promise<boolean> {
    const c = this.cases.get(id);
    if (!c) return false;
    if (!c.transcript.some((e) => e.id === entryId)) return false;
    c.transcript = setEntryDelivery(c.transcript, entryId, state, failure);
    return true;
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
    return this.change(id, (c) => forgetCasePerson(c, now));
  }

  async touchOperator(id: string, now: number): Promise<CaseChange> {
    return this.change(id, (c) => touchCaseOperator(c, now));
  }

  async markSlaAlert(id: string, now: number): Promise<CaseChange> {
    return this.change(id, (c) => markCaseSlaAlert(c, now));
  }

  async listSlaBreaches(now: number): Promise<CaseSummary[]> {
    return (await this.list('waiting', Number.MAX_SAFE_INTEGER)).filter(
      (c) => slaStatus(c, now, this.sla) === 'breached',
    );
  }

  async listIdleClaims(now: number, idleMs: number): Promise<CaseSummary[]> {
    return (await this.list('claimed', Number.MAX_SAFE_INTEGER)).filter((c) => isIdleClaim(c, now, idleMs));
  }

  async purgeResolvedBefore(time: number): Promise<number> {
    let purged = 0;
    for (const c of [...this.cases.values()]) {
      if (c.state === 'resolved' && (c.resolvedAt ?? 0) < time && (await this.erase(c.id))) purged += 1;
    }
    return purged;
  }

  async erase(id: string): Promise<boolean> {
    const c = this.cases.get(id);
    if (!c) return false;
    this.cases.delete(id);
    this.audits.delete(id);
    const userKey = userKeyOf({ channel: c.channel, id: c.userId });
    if (this.open.get(userKey) === id) this.open.delete(userKey);
    return true;
  }

  async audit(entry: AuditEntry): Promise<void> {
    const list = this.audits.get(entry.caseId) ?? [];
    list.push({ ...entry });
    if (list.length > AUDIT_CAP) list.splice(0, list.length - AUDIT_CAP);
    this.audits.set(entry.caseId, list);
  }

  async trimAuditBefore(caseId: string, time: number): Promise<number> {
    const list = this.audits.get(caseId) ?? [];
    const kept = list.filter((e) => e.at >= time);
    this.audits.set(caseId, kept);
    return list.length - kept.length;
  }

  async readAudit(caseId: string, limit = AUDIT_CAP): Promise<AuditEntry[]> {
    return structuredClone((this.audits.get(caseId) ?? []).slice(-limit));
  }

  private change(id: string, apply: (c: Case) => CaseChange): CaseChange {
    const c = this.cases.get(id);
    if (!c) return { ok: false, reason: 'not_found' };
    const result = apply(c);
    if (!result.ok) return result;
    this.cases.set(id, result.case);
    if (result.case.state === 'resolved') {
      const userKey = userKeyOf({ channel: c.channel, id: c.userId });
      if (this.open.get(userKey) === id) this.open.delete(userKey);
    }
    return { ok: true, case: structuredClone(result.case) };
  }
}
