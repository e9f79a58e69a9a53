import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractContactValues, toE164 } from '../../../src/core/offers/contact-keys.js';
import {
  bandKeys,
  fingerprint,
  MATCH_THRESHOLD,
  similarity,
  stripContacts,
} from '../../../src/core/offers/fingerprint.js';
import { applyLabel } from '../../../src/core/offers/label-level.js';

type Pair = { id: string; a: string; b: string; same: boolean };
const pairs: Pair[] = readFileSync('test/corpus/offer-pairs.jsonl', 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Pair);

function sim(a: string, b: string): number {
  return similarity(fingerprint(a)!.signature, fingerprint(b)!.signature);
}

describe('fingerprint', () => {
  it('matches every realistic edit in the corpus and no pair of different offers', () => {
    const missed = pairs.filter((p) => p.same && sim(p.a, p.b) < MATCH_THRESHOLD).map((p) => p.id);
    const merged = pairs.filter((p) => !p.same && sim(p.a, p.b) >= MATCH_THRESHOLD).map((p) => p.id);
    expect(missed).toEqual([]);
    expect(merged).toEqual([]);
  });

  it('matching pairs share at least one LSH band (the candidate lookup finds them)', () => {
    for (const p of pairs.filter((x) => x.same)) {
      const a = new Set(fingerprint(p.a)!.bands);
      expect(
        fingerprint(p.b)!.bands.some((b) => a.has(b)),
        p.id,
      ).toBe(true);
    }
  });

  it('ignores a changed phone number, handle or link entirely', () => {
    const base =
      'Tuyển gấp nhân viên casino online tại Campuchia, lương 30 triệu, bao ăn ở, không cần kinh nghiệm.';
    expect(sim(`${base} Zalo 0912 345 678`, `${base} Zalo 0388.765.432`)).toBe(1);
    expect(sim(`${base} @abc_hr`, `${base} @xyz_jobs t.me/xyz`)).toBe(1);
    expect(stripContacts('gọi +84 912 345 678 hoặc https://t.me/x')).not.toMatch(/\d{3}|t\.me/);
  });

  it('is deterministic, and refuses texts too short to compare', () => {
    const t = pairs[0]!.a;
    expect(fingerprint(t)).toEqual(fingerprint(t));
    expect(bandKeys(fingerprint(t)!.signature)).toHaveLength(32);
    expect(fingerprint('lương cao')).toBeUndefined();
  });
});

describe('contact keys', () => {
  it('normalises Vietnamese numbers to E.164 and leaves amounts alone', () => {
    expect(toE164('0912.345.678')).toBe('+84912345678');
    expect(toE164('+84 912 345 678')).toBe('+84912345678');
    expect(toE164('84912345678')).toBe('+84912345678');
    expect(toE164('15.000.000')).toBeUndefined();
    const found = extractContactValues(
      'Zalo 0912 345 678, zalo.me/0912345678, @HR_Jobs, t.me/viec247, lương 15.000.000, xem vieclam-abc.xyz/dang-ky',
    );
    expect(found).toEqual(
      expect.arrayContaining([
        { kind: 'phone', value: '+84912345678' },
        { kind: 'handle', value: '@hr_jobs' },
        { kind: 'handle', value: 'telegram:viec247' },
        { kind: 'domain', value: 'vieclam-abc.xyz' },
      ]),
    );
    expect(found).toHaveLength(4);
  });
});

describe('legitimate label', () => {
  it('lowers medium to low only; never lowers high; other labels never lower', () => {
    expect(applyLabel('medium', 'legitimate')).toBe('low');
    expect(applyLabel('high', 'legitimate')).toBe('high');
    expect(applyLabel('low', 'legitimate')).toBe('low');
    expect(applyLabel('medium', 'scam')).toBe('medium');
    expect(applyLabel('low', 'trafficking_risk')).toBe('low');
    expect(applyLabel('medium', undefined)).toBe('medium');
  });
});
