import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLessons, validateLessons } from '../../../src/content/lessons.js';
import { LOCALES } from '../../../src/core/locale.js';

const catalogue = loadLessons(join(import.meta.dirname, '../../../content'));

// The only phone numbers lessons may show: each is in SOURCES.md section 8 and cited in the lesson.
const ALLOWED_NUMBERS = ['111', '113', '114', '115', '+84 981 84 84 84', '1800 1567'];

function allTexts(locale: 'vi' | 'en'): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const lesson of Object.values(catalogue.locales[locale].lessons)) {
    for (const card of lesson.cards) {
      out.push({ file: lesson.file, text: card.text });
      if (card.under13) out.push({ file: lesson.file, text: card.under13 });
    }
    for (const q of lesson.questions) {
      out.push({ file: lesson.file, text: q.text });
      for (const o of q.options) out.push({ file: lesson.file, text: `${o.text} | ${o.explanation ?? ''}` });
    }
  }
  return out;
}

describe('real lesson content', () => {
  it('passes the validator', () => {
    expect(validateLessons(catalogue)).toEqual([]);
  });

  it('has at least the ten required topics, in both languages', () => {
    const topics = [
      'job_lure',
      'fake_friend',
      'identity',
      'verify',
      'sextortion',
      'debt',
      'safe_migration',
      'gambling',
      'friend_in_trouble',
      'hotlines',
    ];
    for (const locale of LOCALES) {
      const have = Object.values(catalogue.locales[locale].lessons).map((l) => l.topic);
      expect(have).toEqual(expect.arrayContaining(topics));
    }
  });

  it('gives under-13s gentler cards where the topic needs it', () => {
    for (const locale of LOCALES) {
      for (const id of ['sextortion', 'fake_friend', 'gambling']) {
        const lesson = catalogue.locales[locale].lessons[id]!;
        expect(lesson.cards.some((c) => c.under13)).toBe(true);
      }
    }
  });

  it('mentions the discreet mode in one card, without giving a code word', () => {
    expect(allTexts('en').filter((t) => /ask the bot to be discreet/.test(t.text))).toHaveLength(1);
    expect(allTexts('vi').filter((t) => /nhờ bot trò chuyện kín đáo/.test(t.text))).toHaveLength(1);
  });

  it('shows no phone number that is not in the sourced list', () => {
    for (const locale of LOCALES) {
      for (const { file, text } of allTexts(locale)) {
        let rest = text;
        for (const n of ALLOWED_NUMBERS) rest = rest.split(n).join(' ');
        // What is left must not look like a phone number: a short 1xx service code or digit groups.
        expect(rest.match(/\b1\d\d\b(?![.,]\d)/g) ?? [], `${file}: ${text}`).toEqual([]);
        expect(rest.match(/\+?\d{2,4}(?: \d{2,4}){2,}/g) ?? [], `${file}: ${text}`).toEqual([]);
      }
    }
  });

  it('writes Vietnamese with diacritics', () => {
    for (const { file, text } of allTexts('vi')) {
      if (text.replace(/[^a-zA-Z]/g, '').length < 20) continue;
      expect(/[ăâđêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵ]/i.test(text), file).toBe(true);
    }
  });
});
