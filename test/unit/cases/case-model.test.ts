import { describe, expect, it } from 'vitest';
import { type Case, type CaseSummary, openCase } from '../../../src/core/cases/case.js';
import { compareQueue, queueScore } from '../../../src/core/cases/queue.js';
import { isIdleClaim, slaAlertDue, slaStatus } from '../../../src/core/cases/sla.js';
import { computeCaseStats } from '../../../src/core/cases/stats.js';
import { claimCase, raiseCaseLevel, releaseCase, resolveCase } from '../../../src/core/cases/transitions.js';

const policy = { imminent: 120, high: 600, concern: 3600 };
let n = 0;
const make = (level: Case['level'], createdAt: number): Case =>
  openCase(
    `c${++n}`,
    { level, channel: 'telegram', userId: `u${n}`, chatId: 'x', locale: 'vi' },
    createdAt,
    () => `e${++n}`,
  );

describe('case model', () => {
  it('orders the queue by level, then by age', () => {
    const list = [make('concern', 1), make('high', 5), make('imminent', 9), make('high', 2)];
    const sorted = [...list].sort(compareQueue).map((c) => `${c.level}@${c.createdAt}`);
    expect(sorted).toEqual(['imminent@9', 'high@2', 'high@5', 'concern@1']);
    expect(queueScore(make('imminent', Date.UTC(2030, 0, 1)))).toBeLessThan(queueScore(make('high', 0)));
  });

  it('turns amber at half the target and breached at the target, only while waiting', () => {
    const c = make('high', 0);
    expect(slaStatus(c, 299_999, policy)).toBe('ok');
    expect(slaStatus(c, 300_000, policy)).toBe('amber');
    expect(slaStatus(c, 600_000, policy)).toBe('breached');
    expect(slaStatus({ ...c, state: 'claimed' }, 600_000, policy)).toBe('ok');
    expect(slaAlertDue(c, 600_000, policy)).toBe(true);
    expect(slaAlertDue({ ...c, lastAlertAt: 600_000 }, 1_199_999, policy)).toBe(false);
    expect(slaAlertDue({ ...c, lastAlertAt: 600_000 }, 1_200_000, policy)).toBe(true);
  });

  it('raises levels only upward and refuses changes to resolved cases', () => {
    const c = make('high', 0);
    const down = raiseCaseLevel(c, 'concern', [], 1);
    expect(down.ok && down.case.level).toBe('high');
    const up = raiseCaseLevel(c, 'imminent', ['minor'], 1);
    expect(up.ok && up.case.level).toBe('imminent');
    const done = resolveCase(c, undefined, 'advice_given', 2);
    expect(done.ok && raiseCaseLevel(done.case, 'imminent', [], 3)).toEqual({
      ok: false,
      reason: 'resolved',
    });
  });

  it('claims once, releases idle claims only when idle', () => {
    const c = make('high', 0);
    const claimed = claimCase(c, 'lan', 10);
    expect(claimed.ok).toBe(true);
    if (!claimed.ok) return;
    expect(claimCase(claimed.case, 'minh', 11)).toEqual({ ok: false, reason: 'conflict' });
    expect(isIdleClaim(claimed.case, 10 + 899_999, 900_000)).toBe(false);
    expect(releaseCase(claimed.case, undefined, 20, 900_000)).toEqual({ ok: false, reason: 'conflict' });
    expect(releaseCase(claimed.case, undefined, 900_010, 900_000).ok).toBe(true);
  });

  it('computes median and p90 time to claim, SLA hit rate and open cases per operator', () => {
    const claimedAfter = (seconds: number, by: string): CaseSummary => {
      const c = claimCase(make('imminent', 0), by, seconds * 1000);
      if (!c.ok) throw new Error('claim');
      const { transcript: _t, ...rest } = c.case;
      return rest;
    };
    const late = make('imminent', 0);
    const { transcript: _t, ...waiting } = late;
    const stats = computeCaseStats(
      [
        claimedAfter(10, 'lan'),
        claimedAfter(20, 'lan'),
        claimedAfter(30, 'minh'),
        claimedAfter(300, 'minh'),
        waiting,
      ],
      policy,
      1_000_000,
    );
    expect(stats.timeToClaim.imminent).toEqual({ count: 4, medianSeconds: 20, p90Seconds: 300 });
    expect(stats.slaHitRate).toBe(3 / 5);
    expect(stats.openPerOperator).toEqual({ lan: 2, minh: 2 });
    expect(stats.timeToClaim.high).toEqual({ count: 0, medianSeconds: null, p90Seconds: null });
  });
});
