import { describe, expect, it } from 'vitest';
import { loadDistressCorpus, parseCsv } from '../../../src/eval/distress.js';

describe('distress corpus', () => {
  const rows = loadDistressCorpus();

  it('holds at least 150 labelled texts in both languages and every kind', () => {
    expect(rows.length).toBeGreaterThanOrEqual(150);
    expect(new Set(rows.map((r) => r.lang))).toEqual(new Set(['vi', 'en']));
    expect(new Set(rows.map((r) => r.kind)).size).toBe(5);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  it('keeps about a quarter held out', () => {
    const share = rows.filter((r) => r.split === 'heldout').length / rows.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.5);
  });
});

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and newlines', () => {
    expect(parseCsv('a,b\n"x, y","say ""hi""\nthere"\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ]);
  });
});
