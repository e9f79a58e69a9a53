import { describe, expect, it } from 'vitest';
import { loadOfferContent } from '../../../src/content/offer-flags.js';
import { createOfferChecker } from '../../../src/core/offers/check.js';
import { extractAge, extractPay, parseNumber } from '../../../src/core/offers/extract.js';
import { normalise } from '../../../src/core/offers/normalise.js';

// Fixed rates for the table, so the expected figures do not move when the content file is updated.
const rates = { perUsd: { USD: 1, VND: 25000, JPY: 150, TWD: 32, EUR: 0.9, THB: 35 } };

describe('parseNumber', () => {
  it.each([
    ['1.000', 1000],
    ['1,000', 1000],
    ['5.000.000', 5000000],
    ['1,5', 1.5],
    ['2.5', 2.5],
    ['27.470', 27470],
    ['800', 800],
  ])('%s -> %d', (s, v) => expect(parseNumber(s)).toBe(v));
});

describe('extractPay: pay strings to USD per month', () => {
  it.each([
    ['lương 20-30 triệu', 800, 1200, 'VND', 'month'],
    ['lương 25tr', 1000, 1000, 'VND', 'month'],
    ['25 tr/tháng', 1000, 1000, 'VND', 'month'],
    ['2 củ một tháng', 80, 80, 'VND', 'month'],
    ['1.000 đô', 1000, 1000, 'USD', 'month'],
    ['$1,000/tháng', 1000, 1000, 'USD', 'month'],
    ['2k USD', 2000, 2000, 'USD', 'month'],
    ['500k/ngày', 520, 520, 'VND', 'day'],
    ['500k-1tr/ngày', 520, 1040, 'VND', 'day'],
    ['800-1.000 USD/tháng', 800, 1000, 'USD', 'month'],
    ['1500$', 1500, 1500, 'USD', 'month'],
    ['$20/hour', 4160, 4160, 'USD', 'hour'],
    ['$500 a week', 2165, 2165, 'USD', 'week'],
    ['60,000 USD per year', 5000, 5000, 'USD', 'year'],
    ['8.000.000/tháng', 320, 320, 'VND', 'month'],
    ['200.000 yên', 1333.33, 1333.33, 'JPY', 'month'],
    ['27.470 Đài tệ/tháng', 858.44, 858.44, 'TWD', 'month'],
    ['1,5 triệu', 60, 60, 'VND', 'month'],
    ['earn $100-$300 daily', 2600, 7800, 'USD', 'day'],
    ['$15 hourly', 3120, 3120, 'USD', 'hour'],
    ['3,000 USD monthly', 3000, 3000, 'USD', 'month'],
  ])('%s', (text, lo, hi, currency, period) => {
    const [p] = extractPay(normalise(text), rates);
    expect(p).toBeDefined();
    expect(p?.usdPerMonthMin).toBeCloseTo(lo, 1);
    expect(p?.usdPerMonthMax).toBeCloseTo(hi, 1);
    expect(p?.currency).toBe(currency);
    expect(p?.period).toBe(period);
  });

  it('quotes the original words as evidence', () => {
    const [p] = extractPay(normalise('Thu nhập 25tr/tháng nhé'), rates);
    expect(p?.evidence).toBe('25tr/tháng');
  });

  it.each(['cao 1m55', 'gọi 0900 000 123', '18-25 tuổi', 'năm 2025', 'trời 30 độ'])('ignores %s', (text) => {
    expect(extractPay(normalise(text), rates)).toEqual([]);
  });
});

describe('extractAge', () => {
  it.each([
    ['nữ 16-25 tuổi', 16, 25],
    ['tuổi từ 18 đến 35', 18, 35],
    ['aged 16-24', 16, 24],
    ['từ 15 tuổi trở lên', 15, undefined],
  ])('%s', (text, min, max) => {
    const a = extractAge(normalise(text));
    expect(a.min).toBe(min);
    expect(a.max).toBe(max);
  });
});

describe('extractOffer through the checker', async () => {
  const content = await loadOfferContent('content');
  const checker = createOfferChecker(content.catalogue, content.rates);
  const offer = (t: string) => checker.check(t).offer;

  it('finds risky countries, compound areas, border crossings and other countries', () => {
    const o = offer('Tuyển người đi Campuchia, làm ở Sihanoukville, xe đón ở Mộc Bài, hoặc đi Nhật Bản');
    expect(o.destinations.map((d) => d.kind)).toEqual([
      'risky-country',
      'compound-area',
      'border-crossing',
      'other-country',
    ]);
    expect(o.destinations.map((d) => d.evidence)).toContain('Sihanoukville');
  });

  it('does not read "lao động" or "Lào Cai" as Laos', () => {
    expect(offer('Tuyển lao động ở Lào Cai').destinations).toEqual([]);
    expect(offer('Tuyển người sang Lào').destinations[0]?.name).toBe('laos');
  });

  it('finds job types', () => {
    const types = offer(
      'Tuyển CSKH, tiếp viên karaoke, làm nhiệm vụ thả tim, đóng gói tại nhà, CTV',
    ).jobTypes.map((j) => j.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'online-casino-office',
        'hostess-karaoke-massage',
        'online-tasks',
        'home-packing-typing',
        'sales-collaborator',
      ]),
    );
  });

  it('finds who pays travel, food and lodging', () => {
    const o = offer('Tuyển gấp, bao vé máy bay, bao ăn, bao chỗ ở');
    expect(o.costsPaid.travel).toBe('bao vé máy bay');
    expect(o.costsPaid.food).toBeDefined();
    expect(o.costsPaid.lodging).toBeDefined();
  });

  it('classifies fees: deposit, to an individual, before a contract, after a contract, and "free"', () => {
    expect(offer('Tuyển người, đặt cọc 2 triệu').fees[0]?.kind).toBe('deposit');
    expect(offer('Tuyển người, phí hồ sơ chuyển khoản cho em').fees[0]?.toIndividual).toBe(true);
    expect(offer('Tuyển người, nộp phí 5 triệu trước khi ký hợp đồng').fees[0]?.upfront).toBe(true);
    expect(offer('Tuyển người, phí dịch vụ thu sau khi ký hợp đồng').fees[0]?.afterContract).toBe(true);
    expect(offer('Tuyển người, miễn phí đào tạo, không thu phí môi giới').fees).toEqual([]);
  });

  it('keeps a fee amount out of the pay list', () => {
    const o = offer('Tuyển người đi Nhật, lương 30 triệu, phí 150 triệu');
    expect(o.pay.map((p) => p.max)).toEqual([30_000_000]);
    expect(o.fees[0]?.amountUsd).toBeGreaterThan(5000);
  });

  it('finds requirements, urgency, secrecy and document handling', () => {
    const o = offer(
      'Tuyển nữ 16-22 tuổi ngoại hình ưa nhìn, không cần kinh nghiệm, đi gấp, giữ bí mật, công ty giữ hộ chiếu, visa du lịch, không cần hộ chiếu, đi đường mòn',
    );
    expect(o.requirements.ageMin).toBe(16);
    expect(o.requirements.looks).toBe('ngoại hình');
    expect(o.requirements.noExperience).toBe('không cần kinh nghiệm');
    expect(o.urgency).toBeDefined();
    expect(o.secrecy).toBe('giữ bí mật');
    expect(o.documents.map((d) => d.issue)).toEqual([
      'documents-kept',
      'tourist-visa',
      'no-passport',
      'trail-crossing',
    ]);
  });

  it('finds contacts: phones counted, chat apps, handles, links and domains', () => {
    const o = offer(
      'Tuyển gấp, zalo 0900 000 123, Telegram @tuyen_dung, xem https://vieclam-xyz.top/apply và t.me/abc',
    );
    expect(o.contacts.phones).toBe(1);
    expect(o.contacts.chatApps).toEqual(expect.arrayContaining(['zalo', 'telegram']));
    expect(o.contacts.handles).toContain('tuyen_dung');
    expect(o.contacts.domains).toEqual(expect.arrayContaining(['vieclam-xyz.top', 't.me']));
  });

  it('finds company name, address and licence number', () => {
    const o = offer(
      'Công ty TNHH Nhân lực Hòa Bình tuyển thực tập sinh, giấy phép số 456/LĐTBXH-GP, địa chỉ số 10 Trần Duy Hưng',
    );
    expect(o.company.name).toMatch(/^Công ty TNHH Nhân lực/);
    expect(o.company.licence).toMatch(/456/);
    expect(o.company.address).toMatch(/số 10/);
  });
});
