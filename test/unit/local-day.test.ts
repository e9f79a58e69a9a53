import { describe, expect, it } from 'vitest';
import { isTimeZone, lastLocalDays, localDay } from '../../src/core/local-day.js';

describe('local days', () => {
  it('puts an instant on the day it falls on in the zone', () => {
    const lateUtc = Date.UTC(2026, 10, 28, 23, 30);
    expect(localDay(lateUtc, 'Asia/Ho_Chi_Minh')).toBe('2026-11-29');
    expect(localDay(lateUtc, 'UTC')).toBe('2026-11-28');
    // 16:59:59 UTC is still 23:59:59 in Vietnam; one second later the Vietnamese day turns.
    expect(localDay(Date.UTC(2026, 11, 31, 16, 59, 59), 'Asia/Ho_Chi_Minh')).toBe('2026-12-31');
    expect(localDay(Date.UTC(2026, 11, 31, 17, 0, 0), 'Asia/Ho_Chi_Minh')).toBe('2027-01-01');
  });

  it('lists calendar days oldest first across a month end', () => {
    expect(lastLocalDays(Date.UTC(2026, 11, 1, 0, 30), 3, 'UTC')).toEqual([
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
    ]);
    // 18:00 UTC on 30 November is already 1 December in Vietnam.
    expect(lastLocalDays(Date.UTC(2026, 10, 30, 18, 0), 2, 'Asia/Ho_Chi_Minh')).toEqual([
      '2026-11-30',
      '2026-12-01',
    ]);
  });

  it('never skips or repeats a day across a daylight-saving change', () => {
    // Europe/Berlin leaves summer time on 25 October 2026 (that day has 25 hours).
    const days = lastLocalDays(Date.UTC(2026, 9, 27, 0, 30), 4, 'Europe/Berlin');
    expect(days).toEqual(['2026-10-24', '2026-10-25', '2026-10-26', '2026-10-27']);
  });

  it('knows real zones and refuses made-up ones', () => {
    expect(isTimeZone('Asia/Ho_Chi_Minh')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
