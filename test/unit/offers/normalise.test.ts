import { describe, expect, it } from 'vitest';
import { createSegmenter, normalise, normalWords, originalSpan } from '../../../src/core/offers/normalise.js';

const seg = createSegmenter(['viec', 'lam', 'luong', 'cao', 'nhe', 'campuchia']);
const words = (t: string) =>
  normalWords(normalise(t, seg))
    .map((w) => w.w)
    .join(' ');

describe('normalise', () => {
  it('folds diacritics, case and đ so that "viec nhe luong cao" = "việc nhẹ lương cao"', () => {
    expect(words('Việc Nhẹ Lương Cao')).toBe('viec nhe luong cao');
    expect(words('viec nhe luong cao')).toBe('viec nhe luong cao');
    expect(words('Đi làm ĐƯỢC')).toBe('di lam duoc');
  });

  it('applies NFC first, so decomposed input matches composed input', () => {
    expect(words('vie\u0323\u0302c'.normalize('NFD'))).toBe('viec');
  });

  it('removes zero-width, soft-hyphen and bidi characters', () => {
    expect(words('lư\u200bơng c\u00ada\u200do \u202eCam\u2060puchia')).toBe('luong cao campuchia');
  });

  it('folds Cyrillic, Greek and fullwidth look-alikes to Latin', () => {
    expect(words('Саmрuсhіа')).toBe('campuchia'); // Cyrillic С а р у с і
    expect(words('ΤΟΚΥΟ')).toBe('tokyo'); // Greek Τ Ο Κ Υ Ο
    expect(words('ＣＡＭＰＵＣＨＩＡ')).toBe('campuchia');
    expect(words('𝐂𝐀𝐌𝐏𝐔𝐂𝐇𝐈𝐀')).toBe('campuchia');
  });

  it('expands teencode and abbreviations', () => {
    expect(words('ko cần kn, lg cao, đc bao ăn ở')).toBe('khong can kinh nghiem luong cao duoc bao an o');
    expect(words('cty tuyển CSKH đi XKLĐ, ib')).toBe(
      'cong ty tuyen cham soc khach hang di xuat khau lao dong inbox',
    );
    expect(words('đi CPC')).toBe('di campuchia');
    expect(words('k cần hộ chiếu')).toBe('khong can ho chieu');
  });

  it('reads tr, củ and k after a number as millions and thousands', () => {
    expect(words('lương 25 tr')).toBe('luong 25 trieu');
    expect(words('2 củ một tháng')).toBe('2 trieu mot thang');
    expect(words('500 k một ngày')).toBe('500 nghin mot ngay');
    expect(words('25tr')).toBe('25tr');
  });

  it('joins letters split by dots, dashes, spaces or emoji', () => {
    expect(words('v.i.ệ.c')).toBe('viec');
    expect(words('l-ư-ơ-n-g')).toBe('luong');
    expect(words('l ư ơ n g')).toBe('luong');
    expect(words('v🔥i🔥ệ🔥c')).toBe('viec');
    expect(words('v . i . ệ . c')).toBe('viec');
  });

  it('splits glued words from split letters and hashtags with the vocabulary', () => {
    expect(words('l ư ơ n g c a o')).toBe('luong cao');
    expect(words('#vieclamcampuchia')).toBe('viec lam campuchia');
  });

  it('turns emoji into spaces and collapses repeated punctuation', () => {
    expect(normalise('Lương cao!!!🔥🔥 đi ngay...').text).toBe('luong cao di ngay.');
    expect(normalise('20---30 triệu,,, ok').text).toBe('20-30 trieu, ok');
  });

  it('maps every normalised span back to the original words', () => {
    const original = 'Tuyển gấp 💰 L ư ơ n g 25tr, ko cần kn';
    const n = normalise(original);
    const texts = normalWords(n).map((w) => originalSpan(n, w.s, w.e));
    expect(texts).toContain('L ư ơ n g');
    expect(texts).toContain('ko');
    expect(texts).toContain('kn');
    expect(texts).toContain('Tuyển');
    const i = n.text.indexOf('khong can');
    expect(originalSpan(n, i, i + 'khong can'.length)).toBe('ko cần');
  });

  it('keeps single letters that are not a split word alone', () => {
    expect(words('e ở nhà')).toBe('e o nha');
  });
});
