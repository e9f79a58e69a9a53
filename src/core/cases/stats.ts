import { CASE_LEVELS, type CaseLevel, type CaseSummary } from './case.js';
import { type SlaPolicy, slaTargetMs } from './sla.js';

export interface ClaimTimes {
  count: number;
  /** Seconds, null when no case of that level was ever claimed. */
  medianSeconds: number | null;
  p90Seconds: number | null;
}

/** Figures a supervisor sees; no personal data, only counts and durations. */
export interface CaseStats {
  total: number;
  byLevel: Record<CaseLevel, number>;
  byState: Record<string, number>;
  byOutcome: Record<string, number>;
  timeToClaim: Record<CaseLevel, ClaimTimes>;
  /** Share of cases that were claimed within their SLA target, among those whose fate is known. */
  slaHitRate: number | null;
  openPerOperator: Record<string, number>;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? null;
}

/** Statistics over cases; `now` decides which still-waiting cases already missed their target. */
export function computeCaseStats(cases: CaseSummary[], policy: SlaPolicy, now: number): CaseStats {
  const byLevel = { concern: 0, high: 0, imminent: 0 } as Record<CaseLevel, number>;
  const byState: Record<string, number> = { waiting: 0, claimed: 0, resolved: 0 };
  const byOutcome: Record<string, number> = {};
  const openPerOperator: Record<string, number> = {};
  const waits = { concern: [], high: [], imminent: [] } as Record<CaseLevel, number[]>;
  let hit = 0;
  let known = 0;
  for (const c of cases) {
    byLevel[c.level] += 1;
    byState[c.state] = (byState[c.state] ?? 0) + 1;
    if (c.outcome) byOutcome[c.outcome] = (byOutcome[c.outcome] ?? 0) + 1;
    if (c.state === 'claimed' && c.assignee)
      openPerOperator[c.assignee] = (openPerOperator[c.assignee] ?? 0) + 1;
    const target = slaTargetMs(c.level, policy);
    if (c.firstClaimedAt !== undefined) {
      const wait = c.firstClaimedAt - c.createdAt;
      waits[c.level].push(wait);
      known += 1;
      if (wait <= target) hit += 1;
    } else if (now - c.createdAt > target || c.state === 'resolved') {
      known += 1;
    }
  }
  const timeToClaim = {} as Record<CaseLevel, ClaimTimes>;
  for (const level of CASE_LEVELS) {
    const sorted = waits[level].sort((a, b) => a - b);
    const median = percentile(sorted, 0.5);
    const p90 = percentile(sorted, 0.9);
    timeToClaim[level] = {
      count: sorted.length,
      medianSeconds: median === null ? null : median / 1000,
      p90Seconds: p90 === null ? null : p90 / 1000,
    };
  }
  return {
    total: cases.length,
    byLevel,
    byState,
    byOutcome,
    timeToClaim,
    slaHitRate: known === 0 ? null : hit / known,
    openPerOperator,
  };
}
