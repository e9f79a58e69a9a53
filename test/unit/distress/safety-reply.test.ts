import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareHotlines, loadAllHotlines, loadHotlines } from '../../../src/content/hotlines.js';
import { loadSafetyContent, phoneNumbersIn } from '../../../src/content/safety.js';
import type { DistressResult } from '../../../src/core/distress/detect.js';
import { detectDistress } from '../../../src/core/distress/detect.js';
import { composeSafetyReply, formatHotlineLines } from '../../../src/core/distress/safety-reply.js';
import type { Locale } from '../../../src/core/locale.js';

const CONTENT = join(import.meta.dirname, '..', '..', '..', 'content');
const content = loadSafetyContent(CONTENT);

function reply(text: string, locale: Locale = 'vi', discreet = false) {
  return composeSafetyReply(detectDistress(text), { locale, discreet, ...content[locale] });
}

const ALARMING =
  /cứu|nguy|khẩn|công an|cảnh sát|mua bán|bị giữ|bị nhốt|tổng đài|help|danger|emergency|police|traffick|hotline|held|locked|rescue|\d{3}/i;

describe('hotline directory', () => {
  it('lists the same numbers in both languages', () => {
    const all = loadAllHotlines(CONTENT);
    expect(compareHotlines(all.vi, all.en)).toEqual([]);
    expect(all.vi.map((h) => h.dial).sort()).toEqual(
      ['111', '112', '113', '114', '115', '156', '+84965411118', '+84981848484'].sort(),
    );
  });

  it('never lists the legacy 1800 1567 line', () => {
    for (const locale of ['vi', 'en'] as const) {
      expect(loadHotlines(CONTENT, locale).some((h) => h.dial.includes('18001567'))).toBe(false);
    }
  });

  it('claims free and 24/7 only for 111, and cites a source for every number', () => {
    const vi = loadHotlines(CONTENT, 'vi');
    expect(vi.filter((h) => h.open_24_7).map((h) => h.id)).toEqual(['national_111']);
    for (const h of vi) expect(h.sources.length).toBeGreaterThan(0);
  });

  it('notices a translation that changes a number', () => {
    const vi = loadHotlines(CONTENT, 'vi');
    const changed = vi.map((h) => (h.id === 'police_113' ? { ...h, number: '114', dial: '114' } : h));
    expect(compareHotlines(vi, changed)).toEqual(['police_113: numbers differ']);
  });
});

describe('composeSafetyReply', () => {
  it('gives a person abroad the Foreign Ministry lines, not short numbers that cannot be dialled from abroad', () => {
    const r = reply('cứu em, em bị nhốt ở Sihanoukville');
    expect(r.hotlineIds).toEqual(['mofa_citizen_protection', 'mofa_citizen_protection_alt']);
    expect(r.text).toContain('+84 981 84 84 84');
    expect(r.text).not.toMatch(/^113/m);
  });

  it('gives family in Vietnam 111 and the police, and the consular line when the relative is abroad', () => {
    expect(reply('my sister is locked in', 'en').hotlineIds).toEqual(['national_111', 'police_113']);
    expect(reply('con tôi bị giữ ở Campuchia').hotlineIds).toEqual([
      'national_111',
      'police_113',
      'mofa_citizen_protection',
    ]);
  });

  it('gives a minor in Vietnam 111, and puts the police first when danger is immediate', () => {
    expect(reply('em 15 tuổi, em bị lấy hộ chiếu').hotlineIds).toEqual(['police_113', 'national_111']);
    const minorConcern: DistressResult = {
      level: 'high',
      signals: ['contact_cut', 'minor'],
      minor: true,
      abroad: false,
      thirdPerson: false,
    };
    const r = composeSafetyReply(minorConcern, { locale: 'vi', discreet: false, ...content.vi });
    expect(r.hotlineIds[0]).toBe('national_111');
    expect(r.text).toContain(content.vi.texts.reply.intro.minor);
  });

  it('asks whether a person from the hotline may write here', () => {
    expect(reply('tôi bị giữ').text).toContain(content.vi.texts.reply.ask_contact);
    expect(reply('they took my passport', 'en').text).toContain(content.en.texts.reply.ask_contact);
  });

  it.each([
    ['cứu em, em bị nhốt ở Sihanoukville', 'vi'],
    ['con tôi bị giữ ở Campuchia', 'vi'],
    ['they took my passport', 'en'],
    ['my sister is locked in', 'en'],
  ] as const)('in discreet mode, "%s" has no alarming word in its first line', (text, locale) => {
    const r = reply(text, locale, true);
    const [first = ''] = r.text.split('\n');
    expect(first).not.toMatch(ALARMING);
    expect(first).toBe(content[locale].texts.discreet.first_line);
    expect(r.text).not.toContain(content[locale].texts.reply.intro.abroad);
    expect(r.hotlineIds.length).toBeGreaterThan(0);
  });

  it('only ever names numbers from the directory', () => {
    for (const locale of ['vi', 'en'] as const) {
      const known = new Set(content[locale].hotlines.map((h) => h.dial));
      for (const text of ['cứu tôi', 'con tôi bị giữ ở Campuchia', 'em 15 tuổi bị đánh', 'help me']) {
        for (const discreet of [false, true]) {
          for (const n of phoneNumbersIn(reply(text, locale, discreet).text)) expect(known).toContain(n);
        }
      }
      const lines = formatHotlineLines(detectDistress('tôi bị giữ'), { discreet: false, ...content[locale] });
      for (const n of phoneNumbersIn(lines)) expect(known).toContain(n);
    }
  });

  it('finds every phone number written in the safety texts in the directory', () => {
    for (const locale of ['vi', 'en'] as const) {
      const known = new Set(content[locale].hotlines.map((h) => h.dial));
      const all = JSON.stringify(content[locale].texts);
      for (const n of phoneNumbersIn(all)) expect(known).toContain(n);
    }
  });

  it('spots numbers with spaces and plus signs', () => {
    expect(phoneNumbersIn('gọi +84 981 84 84 84 hoặc 111, bài 3')).toEqual(['+84981848484', '111']);
  });
});
