import type { Case, CaseLevel } from './case.js';

/** Seconds within which a waiting case should be claimed, per level (config.operators.slaSeconds). */
export type SlaPolicy = Record<CaseLevel, number>;

/** `amber` from half the target on, `breached` from the target on. Only waiting cases run late. */
export type SlaStatus = 'ok' | 'amber' | 'breached';

export function slaTargetMs(level: CaseLevel, policy: SlaPolicy): number {
  return policy[level] * 1000;
}

/** How long the case has waited for its current claim. */
export function waitingMs(c: Pick<Case, 'createdAt'>, now: number): number {
  return Math.max(0, now - c.createdAt);
}

export function slaStatus(
  c: Pick<Case, 'state' | 'level' | 'createdAt'>,
  now: number,
  policy: SlaPolicy,
): SlaStatus {
  if (c.state !== 'waiting') return 'ok';
  const target = slaTargetMs(c.level, policy);
  const waited = waitingMs(c, now);
  if (waited >= target) return 'breached';
  return waited >= target / 2 ? 'amber' : 'ok';
}

/**
 * True when a waiting case is past its target and operators have not been re-alerted within the
 * last target interval: a breach alerts at once, then at most once per interval.
 */
export function slaAlertDue(
  c: Pick<Case, 'state' | 'level' | 'createdAt' | 'lastAlertAt'>,
  now: number,
  policy: SlaPolicy,
): boolean {
  if (slaStatus(c, now, policy) !== 'breached') return false;
  return c.lastAlertAt === undefined || now - c.lastAlertAt >= slaTargetMs(c.level, policy);
}

/** True when the assignee of a claimed case has been silent for `idleMs` or longer. */
export function isIdleClaim(
  c: Pick<Case, 'state' | 'claimedAt' | 'lastOperatorActivityAt'>,
  now: number,
  idleMs: number,
): boolean {
  if (c.state !== 'claimed') return false;
  const last = c.lastOperatorActivityAt ?? c.claimedAt ?? now;
  return now - last >= idleMs;
}
