import { describe, expect, it } from 'vitest';
import { UNKNOWN_WORD, WordIds } from '../../../src/core/offers/word-ids.js';

describe('WordIds', () => {
  const vocabulary = ['viec', 'viet', 'vi', 'luong', 'cao', '18', 'luong', ''];
  const ids = new WordIds(vocabulary);

  it('gives each distinct vocabulary word its own id, and counts UNKNOWN_WORD in size', () => {
    const got = ['viec', 'viet', 'vi', 'luong', 'cao', '18'].map((w) => ids.idOf(w));
    expect(new Set(got).size).toBe(6);
    expect(got).not.toContain(UNKNOWN_WORD);
    expect(ids.size).toBe(7);
  });

  it('knows only whole words: prefixes, extensions and other chars are unknown', () => {
    for (const w of ['v', 'vie', 'viecc', 'luon', 'luongs', 'caO', 'cào', '1', '180', 'x', ''])
      expect(ids.idOf(w), w).toBe(UNKNOWN_WORD);
  });

  it('reads a span of a longer text the same as the word alone', () => {
    const text = 'tuyen viec luong cao 18t';
    expect(ids.idOfSpan(text, 6, 10)).toBe(ids.idOf('viec'));
    expect(ids.idOfSpan(text, 11, 16)).toBe(ids.idOf('luong'));
    expect(ids.idOfSpan(text, 21, 23)).toBe(ids.idOf('18'));
    expect(ids.idOfSpan(text, 21, 24)).toBe(UNKNOWN_WORD);
  });

  it('accepts non-ASCII vocabulary words', () => {
    const wide = new WordIds(['việc', 'ทำงาน']);
    expect(wide.idOf('việc')).not.toBe(UNKNOWN_WORD);
    expect(wide.idOf('ทำงาน')).not.toBe(UNKNOWN_WORD);
    expect(wide.idOf('viec')).toBe(UNKNOWN_WORD);
  });
});
