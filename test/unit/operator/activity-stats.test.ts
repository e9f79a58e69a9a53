import { describe, expect, it } from 'vitest';
import { MemoryStatsStore } from '../../../src/adapters/memory/memory-stats-store.js';
import { readActivityStats, recordCount, statsFieldsFor } from '../../../src/runtime/activity-stats.js';

const NOON = Date.UTC(2026, 10, 28, 12, 0, 0);
const DAY = 86_400_000;
const VIETNAM = 'Asia/Ho_Chi_Minh';
const at = (now: number) => ({ now, timeZone: VIETNAM });

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
    await recordCount(stats, at(NOON), 'offer_checked', { level: 'high' });
    await recordCount(stats, at(NOON), 'offer_checked', { level: 'low' });
    await recordCount(stats, at(NOON - DAY), 'offer_checked', { level: 'high' });
    await recordCount(stats, at(NOON - 40 * DAY), 'offer_checked', { level: 'high' });
    for (const flag of ['a_flag', 'b_flag', 'b_flag'])
      await recordCount(stats, at(NOON), 'offer_flag', { flag });
    await recordCount(stats, at(NOON - 40 * DAY), 'offer_flag', { flag: 'a_flag' });
    await recordCount(stats, at(NOON - 40 * DAY), 'offer_flag', { flag: 'a_flag' });
    await recordCount(stats, at(NOON), 'lesson_started', { lesson: 'l1' });
    await recordCount(stats, at(NOON), 'lesson_completed', { lesson: 'l1' });

    const read = await readActivityStats(stats, NOON, {
      timeZone: VIETNAM,
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

  it('counts a message at 23:30 UTC on the next Vietnamese day, and the dashboard lists Vietnamese days', async () => {
    const stats = new MemoryStatsStore();
    // 23:30 UTC on 28 November is 06:30 on 29 November in Hà Nội (UTC+7).
    const lateUtc = Date.UTC(2026, 10, 28, 23, 30);
    await recordCount(stats, at(lateUtc), 'offer_checked', { level: 'high' });
    expect(await stats.read(['2026-11-28', '2026-11-29'])).toEqual({
      '2026-11-28': {},
      '2026-11-29': { offer_checked: 1, 'offer_checked:high': 1 },
    });

    const read = await readActivityStats(stats, lateUtc, { timeZone: VIETNAM, days: 3 });
    expect(read.offersPerDay.map((d) => [d.day, d.total])).toEqual([
      ['2026-11-27', 0],
      ['2026-11-28', 0],
      ['2026-11-29', 1],
    ]);
    expect(read.activityPeriod).toEqual({ from: '2026-11-27', to: '2026-11-29' });

    // The same instant with TIME_ZONE=UTC stays on the 28th.
    const utc = await readActivityStats(stats, lateUtc, { timeZone: 'UTC', days: 1 });
    expect(utc.offersPerDay).toEqual([{ day: '2026-11-28', total: 0, byLevel: {} }]);
  });
});
