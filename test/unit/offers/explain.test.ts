import { describe, expect, it } from 'vitest';
import { loadOfferContent } from '../../../src/content/offer-flags.js';
import { createOfferChecker } from '../../../src/core/offers/check.js';
import { explainOffer, offerButtons } from '../../../src/core/offers/explain.js';

const content = await loadOfferContent('content');
const checker = createOfferChecker(content.catalogue, content.rates);
const LURE = 'Tuyển gấp CSKH đi Campuchia, lương 1.000 USD, bao vé máy bay, hộ chiếu công ty giữ, ib zalo';

describe('explainOffer', () => {
  it('answers in Vietnamese: verdict first, flags with evidence, what to do, hotlines', () => {
    const a = checker.check(LURE, 'vi');
    const text = explainOffer(a, content.catalogue, content.answers, 'vi');
    const lines = text.split('\n');
    expect(lines[0]).toBe(content.answers.vi.verdict.high);
    expect(text).toContain(content.catalogue.vi.flags.get('documents_taken')?.name);
    expect(text).toContain('"hộ chiếu công ty giữ"');
    expect(text).toContain('Không bao giờ giao hộ chiếu');
    expect(text).toContain('http://www.dolab.gov.vn/BU/Index.aspx');
    expect(text).toContain('có thể đã đổi');
    for (const n of ['111', '113', '+84 981 84 84 84']) expect(text).toContain(n);
    expect(text).toContain('Giải thích thêm');
  });

  it('answers in English with the same structure', () => {
    const a = checker.check(LURE, 'en');
    const text = explainOffer(a, content.catalogue, content.answers, 'en');
    expect(text.split('\n')[0]).toBe(content.answers.en.verdict.high);
    expect(text).toContain(content.catalogue.en.flags.get('documents_taken')?.name);
    expect(text).toContain('"hộ chiếu công ty giữ"');
    expect(text).toContain('Never hand your passport');
    expect(text).toContain('may have moved');
    for (const n of ['111', '113', '+84 981 84 84 84']) expect(text).toContain(n);
  });

  it('the short form lists at most three flags; the long form lists all with why, advice and source', () => {
    const a = checker.check(LURE);
    expect(a.flags.length).toBeGreaterThan(3);
    const short = explainOffer(a, content.catalogue, content.answers, 'en');
    const long = explainOffer(a, content.catalogue, content.answers, 'en', { long: true });
    expect(short.split('\n').filter((l) => l.startsWith('• ') && l.includes('in the message')).length).toBe(
      3,
    );
    for (const f of a.flags) {
      const t = content.catalogue.en.flags.get(f.id);
      expect(long).toContain(t?.name);
      expect(long).toContain(t?.why);
      expect(long).toContain(t?.source);
    }
  });

  it('says when a text is not a job offer and offers the menu', () => {
    const a = checker.check('Mai đi cà phê không?');
    expect(explainOffer(a, content.catalogue, content.answers, 'vi')).toBe(
      `${content.answers.vi.verdict.none}\n${content.answers.vi.not_offer}`,
    );
    expect(offerButtons(a, content.answers, 'en').map((b) => b.id)).toEqual(['check_another', 'menu']);
  });

  it('offers explain-more, already-there, report and check-another buttons for an offer', () => {
    const a = checker.check(LURE);
    expect(offerButtons(a, content.answers, 'vi').map((b) => b.label)).toEqual([
      'Giải thích thêm',
      'Tôi đã đi / người quen đang ở đó',
      'Báo cáo người tuyển dụng này',
      'Kiểm tra tin khác',
    ]);
  });

  it('shows "still verify" notes for a low verdict', () => {
    const a = checker.check(
      'Công ty TNHH Nhân lực Hòa Bình, giấy phép số 456/LĐTBXH-GP, tuyển thực tập sinh đi Nhật Bản, lương 28 triệu, ký hợp đồng lao động',
    );
    expect(a.level).toBe('low');
    const text = explainOffer(a, content.catalogue, content.answers, 'vi');
    expect(text).toContain(content.answers.vi.labels.notes_title);
    expect(text).toContain(content.catalogue.vi.notes.get('licence_given')?.name);
  });
});
