import {
  type Case,
  type CaseLevel,
  type DeliveryState,
  higherLevel,
  TRANSCRIPT_CAP,
  type TranscriptEntry,
} from './case.js';
import { isIdleClaim } from './sla.js';

/** Why a change was refused. */
export type CaseRefusal = 'not_found' | 'conflict' | 'not_assignee' | 'resolved';

export type CaseChange = { ok: true; case: Case } | { ok: false; reason: CaseRefusal };

const ok = (c: Case): CaseChange => ({ ok: true, case: c });
const no = (reason: CaseRefusal): CaseChange => ({ ok: false, reason });

/** An operator takes a waiting case. Anything else (claimed, resolved) is a conflict. */
export function claimCase(c: Case, operator: string, now: number): CaseChange {
  if (c.state !== 'waiting') return no('conflict');
  return ok({
    ...c,
    state: 'claimed',
    assignee: operator,
    claimedAt: now,
    firstClaimedAt: c.firstClaimedAt ?? now,
    lastOperatorActivityAt: now,
    updatedAt: now,
  });
}

/**
 * Puts a claimed case back in the queue. `operator` must be the assignee unless it is undefined
 * (the system returning an idle claim, or a supervisor). With `idleMs`, only a claim whose
 * assignee has been silent that long is released (the watcher must not take a case from someone
 * who wrote a moment ago).
 */
export function releaseCase(c: Case, operator: string | undefined, now: number, idleMs?: number): CaseChange {
  if (c.state !== 'claimed') return no(c.state === 'resolved' ? 'resolved' : 'conflict');
  if (operator !== undefined && c.assignee !== operator) return no('not_assignee');
  if (idleMs !== undefined && !isIdleClaim(c, now, idleMs)) return no('conflict');
  const { assignee: _a, claimedAt: _c, lastOperatorActivityAt: _l, ...rest } = c;
  return ok({ ...rest, state: 'waiting', updatedAt: now });
}

/** Closes a case with an outcome; only its assignee (or a supervisor, operator undefined) may. */
export function resolveCase(c: Case, operator: string | undefined, outcome: string, now: number): CaseChange {
  if (c.state === 'resolved') return no('resolved');
  if (operator !== undefined && c.state === 'claimed' && c.assignee !== operator) return no('not_assignee');
  return ok({
    ...c,
    state: 'resolved',
    outcome,
    resolvedAt: now,
    assignee: c.assignee ?? operator,
    updatedAt: now,
  });
}

/**
 * Raises the level; a lower or equal level changes nothing. Resolved cases stay as they are.
 * `byModel`: the raise comes from the language model's second opinion, which the case then shows.
 */
export function raiseCaseLevel(
  c: Case,
  level: CaseLevel,
  signals: string[],
  now: number,
  byModel = false,
): CaseChange {
  if (c.state === 'resolved') return no('resolved');
  const next = higherLevel(c.level, level);
  const merged = [...new Set([...c.signals, ...signals])];
  if (next === c.level && merged.length === c.signals.length) return ok(c);
  const marked = byModel && next !== c.level ? { raisedByModel: next } : {};
  return ok({ ...c, level: next, signals: merged, updatedAt: now, ...marked });
}

export function addCaseNote(c: Case, author: string, text: string, now: number): CaseChange {
  return ok({ ...c, notes: [...c.notes, { at: now, author, text }], updatedAt: now });
}

/** Merges intake answers; `minor: 'yes'` also sets the minor flag (it never clears it). */
export function setCaseIntake(c: Case, answers: Record<string, string>, now: number): CaseChange {
  const intake = { ...c.intake, ...answers };
  const minor = c.minor || answers.minor === 'yes';
  return ok({ ...c, intake, minor, updatedAt: now });
}

export function markCaseUnreachable(c: Case, reason: string, now: number): CaseChange {
  return ok({ ...c, unreachable: reason, updatedAt: now });
}

export function markCaseForgetRequested(c: Case, now: number): CaseChange {
  return ok({ ...c, forgetRequested: true, updatedAt: now });
}

/**
 * The person asked to be forgotten and the case is closed: everything that names or quotes them
 * goes (transcript, intake answers, notes, their channel ids). What stays is what the statistics
 * need: level, signals, times, outcome, who handled it.
 */
export function forgetCasePerson(c: Case, now: number): CaseChange {
  if (c.state !== 'resolved') return { ok: false, reason: 'conflict' };
  return ok({
    ...c,
    userId: FORGOTTEN,
    chatId: FORGOTTEN,
    intake: {},
    notes: [],
    transcript: [],
    unreachable: undefined,
    origin: undefined,
    forgetRequested: true,
    updatedAt: now,
  });
}

/** What a forgotten person's ids become in their closed case. */
export const FORGOTTEN = 'forgotten';

/** The assignee did something (wrote, noted): the idle timer starts again. */
export function touchCaseOperator(c: Case, now: number): CaseChange {
  if (c.state !== 'claimed') return ok(c);
  return ok({ ...c, lastOperatorActivityAt: now, updatedAt: now });
}

/** Records one SLA alert (the first one also stamps the breach). */
export function markCaseSlaAlert(c: Case, now: number): CaseChange {
  if (c.state !== 'waiting') return no('conflict');
  return ok({
    ...c,
    slaBreachedAt: c.slaBreachedAt ?? now,
    lastAlertAt: now,
    alertCount: c.alertCount + 1,
    updatedAt: now,
  });
}

/** Adds entries to the transcript, keeping only the last TRANSCRIPT_CAP. */
export function appendEntries(transcript: TranscriptEntry[], entries: TranscriptEntry[]): TranscriptEntry[] {
  return [...transcript, ...entries].slice(-TRANSCRIPT_CAP);
}

/** Sets the delivery state of one transcript entry; unknown ids change nothing. */
export function setEntryDelivery(
  transcript: TranscriptEntry[],
  entryId: string,
  delivery: DeliveryState,
  failure?: string,
): TranscriptEntry[] {
  return transcript.map((e) => {
    if (e.id !== entryId) return e;
    const { failure: _f, ...rest } = e;
    return failure === undefined ? { ...rest, delivery } : { ...rest, delivery, failure };
  });
}
