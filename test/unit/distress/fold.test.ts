import { describe, expect, it } from 'vitest';
import { foldText } from '../../../src/core/text/fold.js';

describe('foldText', () => {
  it.each([
    ['Cứu tôi với!!!', 'cuu toi voi'],
    ['Cứuuu tôi vớiii', 'cuu toi voi'],
    ['Đường đi ĐÀ NẴNG', 'duong di da nang'],
    ['mik hông đc về', 'minh khong duoc ve'],
    ['e bị giữ ở cam ko cho ve', 'em bi giu o cam khong cho ve'],
    ['t bj đang bị nhốt', 'toi bay gio dang bi nhot'],
    ['j vậy', 'gi vay'],
    ['họ đòi 3.000 đô', 'ho doi 3000 do'],
    ['HELPPP me pls', 'help me please'],
    ['They took my passport, I cant leave', 'they took my passport i can t leave'],
  ])('%s -> %s', (input, expected) => {
    expect(foldText(input)).toBe(expected);
  });

  it('removes zero-width and bidi characters that split words', () => {
    expect(foldText('e\u200Bm bị đ\u202Eánh')).toBe('em bi danh');
  });

  it('treats decomposed (NFD) and composed input alike', () => {
    expect(foldText('cứu'.normalize('NFD'))).toBe(foldText('cứu'.normalize('NFC')));
  });

  it('keeps a word typed with diacritics out of teencode: "hỏng" is broken, not "không"', () => {
    expect(foldText('điện thoại hỏng rồi')).toBe('dien thoai hong roi');
    expect(foldText('hong có đâu')).toBe('khong co dau');
  });

  it('expands one-letter Vietnamese teencode only in Vietnamese text', () => {
    expect(foldText('a ơi cứu e')).toBe('anh oi cuu em');
    expect(foldText('I have a bit of a question')).toBe('i have a bit of a question');
  });
});
