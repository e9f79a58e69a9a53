import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatsStore } from '../../src/ports/stats-store.js';
import { type Backend, backends } from './store-backends.js';

describe.each(backends)('stats store contract: $name', ({ open }) => {
  let backend: Backend;
  let stats: StatsStore;
  beforeEach(() => {
    backend = open();
    stats = backend.stats();
  });
  afterEach(async () => {
    await backend.close();
  });

  it('adds up increments per day and field', async () => {
    await stats.increment('2026-11-27', 'offer_checked:high');
    await stats.increment('2026-11-28', 'offer_checked:high');
    await stats.increment('2026-11-28', 'offer_checked:high', 2);
    await stats.increment('2026-11-28', 'flag:upfront_fee');
    const read = await stats.read(['2026-11-27', '2026-11-28']);
    expect(read).toEqual({
      '2026-11-27': { 'offer_checked:high': 1 },
      '2026-11-28': { 'offer_checked:high': 3, 'flag:upfront_fee': 1 },
    });
  });

  it('counts every increment made at the same time, over several days', async () => {
    await Promise.all([
      stats.increment('2026-11-27', 'offer_checked'),
      stats.increment('2026-11-28', 'offer_checked'),
      stats.increment('2026-11-28', 'offer_checked', 2),
      stats.increment('2026-11-28', 'flag:upfront_fee'),
    ]);
    await stats.increment('2026-11-28', 'offer_checked');
    expect(await stats.read(['2026-11-27', '2026-11-28'])).toEqual({
      '2026-11-27': { offer_checked: 1 },
      '2026-11-28': { offer_checked: 4, 'flag:upfront_fee': 1 },
    });
  });

  it('reads a day with nothing counted as empty', async () => {
    await stats.increment('2026-11-28', 'lesson_started');
    expect(await stats.read(['2026-11-01'])).toEqual({ '2026-11-01': {} });
    expect(await stats.read([])).toEqual({});
  });
});
