import type {
  AuditEntry,
  Case,
  CaseLevel,
  CaseState,
  CaseSummary,
  DeliveryState,
  NewCase,
  TranscriptEntry,
} from '../core/cases/case.js';
import type { CaseChange } from '../core/cases/transitions.js';
import type { UserRef } from '../core/user-ref.js';

/** A transcript entry to append; the store gives it an id when it has none. */
export type NewTranscriptEntry = Omit<TranscriptEntry, 'id'> & { id?: string };

/**
 * The escalation cases and their queue. A user has at most one open (waiting or claimed) case.
 * Every change is atomic: two operators claiming at once get one `ok` and one `conflict`.
 * Methods that change a case return a CaseChange (the case after the change, or why not).
 * The store does not audit by itself: callers append an audit entry for each change they make.
 */
export interface CaseStore {
  /** The user's open case, or a new waiting case. Never two open cases for one user. */
  createOrGetOpen(input: NewCase, now: number): Promise<{ case: Case; created: boolean }>;
  get(id: string): Promise<Case | null>;
  getOpenForUser(user: UserRef): Promise<Case | null>;
  /**
   * Cases in one state, without transcripts. Waiting and claimed: queue order (imminent > high >
   * concern, then oldest first). Resolved: most recently resolved first. `limit` caps the list.
   */
  list(state: CaseState, limit?: number): Promise<CaseSummary[]>;
  claim(id: string, operator: string, now: number): Promise<CaseChange>;
  /**
   * Returns a claimed case to the queue. `operator` undefined: the system or a supervisor returns
   * it, whoever holds it. With `idleMs`: only if the assignee has been silent that long ('conflict'
   * otherwise).
   */
  release(id: string, operator: string | undefined, now: number, idleMs?: number): Promise<CaseChange>;
  resolve(id: string, operator: string | undefined, outcome: string, now: number): Promise<CaseChange>;
  /** Appends to the transcript excerpt (capped to the last 200 entries); returns the stored entries. */
  appendTranscript(id: string, entries: NewTranscriptEntry[]): Promise<TranscriptEntry[]>;
  /** Records whether an operator message reached the user. False when the entry is gone. */
  setDelivery(id: string, entryId: string, state: DeliveryState, failure?: string): Promise<boolean>;
  addNote(id: string, author: string, text: string, now: number): Promise<CaseChange>;
  setIntake(id: string, answers: Record<string, string>, now: number): Promise<CaseChange>;
  /**
   * Raises the level (never lowers it) and adds signals. `byModel`: the language model's second
   * opinion asked for it, and the case records that (Case.raisedByModel) when the level goes up.
   */
  raiseLevel(
    id: string,
    level: CaseLevel,
    signals: string[],
    now: number,
    byModel?: boolean,
  ): Promise<CaseChange>;
  markUnreachable(id: string, reason: string, now: number): Promise<CaseChange>;
  markForgetRequested(id: string, now: number): Promise<CaseChange>;
  /**
   * A resolved case of someone who asked to be forgotten: deletes the transcript and clears
   * intake, notes and the person's ids (forgetCasePerson). 'conflict' while the case is open.
   */
  forgetPerson(id: string, now: number): Promise<CaseChange>;
  /** The assignee acted: restarts the idle timer. */
  touchOperator(id: string, now: number): Promise<CaseChange>;
  /** Counts one SLA alert for a waiting case (stamps the breach the first time). */
  markSlaAlert(id: string, now: number): Promise<CaseChange>;
  /** Waiting cases past their SLA target at `now` (policy given to the store), in queue order. */
  listSlaBreaches(now: number): Promise<CaseSummary[]>;
  /** Claimed cases whose assignee has been silent for `idleMs` or more. */
  listIdleClaims(now: number, idleMs: number): Promise<CaseSummary[]>;
  /** Deletes resolved cases resolved before `time` (retention), with transcripts and audit. */
  purgeResolvedBefore(time: number): Promise<number>;
  /** Deletes one case and everything about it at once (a user's "forget me" after resolve). */
  erase(id: string): Promise<boolean>;
  audit(entry: AuditEntry): Promise<void>;
  /** Drops audit entries of one stream older than `time` (retention of the account and offer logs). */
  trimAuditBefore(caseId: string, time: number): Promise<number>;
  /** Audit entries of one case, oldest first. */
  readAudit(caseId: string, limit?: number): Promise<AuditEntry[]>;
}
