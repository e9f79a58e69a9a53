import { describe, expect, it } from 'vitest';
import { MemoryStatsStore } from '../../../src/adapters/memory/memory-stats-store.js';
import {
  lastDays,
  readActivityStats,
  recordCount,
  statsFieldsFor,
} from '../../../src/runtime/activity-stats.js';

const NOON = Date.UTC(2026, 10, 28, 12, 0, 0);
const DAY = 86_400_000;

describe('activity stats', () => {
  it('maps count effects to daily fields and refuses anything that is not an id', () => {
    expect(statsFieldsFor('offer_checked', { level: 'high' })).toEqual([
      'offer_checked',
      'offer_checked:high',
    ]);
    expect(statsFieldsFor('offer_flag', { flag: 'upfront_fee' })).toEqual(['flag:upfront_fee']);
    expect(statsFieldsFor('offer_flag', { flag: 'Call me 0912 345 678' })).toEqual([]);
    expect(statsFieldsFor('lesson_started', { lesson: 'l1' })).toEqual(['lesson_started']);
    expect(statsFieldsFor('discreet_on')).toEqual([]);
  });

  it('sums the last 30 days, ranks flags, and leaves older days out', async () => {
    const stats = new MemoryStatsStore();
    await recordCount(stats, NOON, 'offer_checked', { level: 'high' });
    await recordCount(stats, NOON, 'offer_checked', { level: 'low' });
    await recordCount(stats, NOON - DAY, 'offer_checked', { level: 'high' });
    await recordCount(stats, NOON - 40 * DAY, 'offer_checked', { level: 'high' });
    for (const flag of ['a_flag', 'b_flag', 'b_flag']) await recordCount(stats, NOON, 'offer_flag', { flag });
    await recordCount(stats, NOON - 40 * DAY, 'offer_flag', { flag: 'a_flag' });
    await recordCount(stats, NOON - 40 * DAY, 'offer_flag', { flag: 'a_flag' });
    await recordCount(stats, NOON, 'lesson_started', { lesson: 'l1' });
    await recordCount(stats, NOON, 'lesson_completed', { lesson: 'l1' });

    const read = await readActivityStats(stats, NOON, {
      flagName: (id) => (id === 'b_flag' ? { vi: 'Cờ B', en: 'Flag B' } : undefined),
    });
    expect(read.offersPerDay).toHaveLength(30);
    expect(read.offersPerDay.at(-1)).toEqual({ day: '2026-11-28', total: 2, byLevel: { high: 1, low: 1 } });
    expect(read.offersPerDay.at(-2)).toEqual({ day: '2026-11-27', total: 1, byLevel: { high: 1 } });
    expect(read.offersPerDay.reduce((sum, d) => sum + d.total, 0)).toBe(3);
    expect(read.topFlags).toEqual([
      { id: 'b_flag', count: 2, name: { vi: 'Cờ B', en: 'Flag B' } },
      { id: 'a_flag', count: 1 },
    ]);
    expect(read.lessons).toEqual({ started: 1, completed: 1, allCompleted: 0 });
    expect(read.activityPeriod).toEqual({ from: '2026-10-30', to: '2026-11-28' });
  });

  it('lists days oldest first across a month end', () => {
    expect(lastDays(Date.UTC(2026, 11, 1, 0, 30), 3)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01']);
  });
});
