import { describe, expect, it } from 'vitest';
import { loadOfferContent } from '../../../src/content/offer-flags.js';
import { createOfferChecker } from '../../../src/core/offers/check.js';
import { FLAG_IDS, type FlagId } from '../../../src/core/offers/rules.js';

const content = await loadOfferContent('content');
const checker = createOfferChecker(content.catalogue, content.rates);

/** For every flag: a Vietnamese and an English text that must raise it, and words the evidence must quote. */
const CASES: Record<FlagId, { vi: [string, string]; en: [string, string] }> = {
  too_good_to_be_true: {
    vi: ['Tuyển nhân viên, việc nhẹ lương cao, ib', 'việc nhẹ'],
    en: ['Hiring staff, no experience needed, salary $1,500/month', '$1,500/month'],
  },
  risky_destination: {
    vi: ['Tuyển thợ may đi Campuchia, lương 9 triệu', 'Campuchia'],
    en: ['Hiring tailors for Cambodia, salary 400 USD', 'Cambodia'],
  },
  compound_area: {
    vi: ['Tuyển phụ bếp làm ở Sihanoukville, lương 10 triệu', 'Sihanoukville'],
    en: ['Hiring cooks in Myawaddy, salary 500 USD', 'Myawaddy'],
  },
  border_pickup: {
    vi: ['Tuyển người đi làm, có xe đón ở cửa khẩu Mộc Bài, lương 10 triệu', 'cửa khẩu'],
    en: ['We are hiring, free ticket, pick-up at the border crossing, salary 500 USD', 'border'],
  },
  vague_job_abroad: {
    vi: ['Tuyển CSKH làm việc ở nước ngoài, lương 20 triệu', 'CSKH'],
    en: ['Hiring customer service agents overseas, salary 900 USD', 'customer service'],
  },
  travel_costs_paid: {
    vi: ['Tuyển công nhân đi Malaysia, bao vé máy bay, lương 12 triệu', 'bao vé máy bay'],
    en: ['Hiring factory workers for Malaysia, free flight, salary 500 USD', 'free flight'],
  },
  advance_or_debt: {
    vi: ['Tuyển công nhân, công ty ứng trước tiền vé, trừ vào lương', 'ứng trước'],
    en: ['Hiring workers, salary advance available, deducted from your salary', 'salary advance'],
  },
  fee_upfront: {
    vi: ['Tuyển lao động đi Nhật, nộp phí 20 triệu trước khi ký hợp đồng', 'nộp phí'],
    en: ['Hiring workers for Japan, pay a processing fee upfront', 'processing fee'],
  },
  fee_to_individual: {
    vi: ['Tuyển lao động, phí hồ sơ 2 triệu chuyển khoản cho em qua Momo', 'phí hồ sơ'],
    en: ['Hiring staff, send the visa fee to my account', 'visa fee'],
  },
  deposit_or_penalty: {
    vi: ['Tuyển người, đặt cọc 5 triệu giữ chỗ', 'đặt cọc'],
    en: ['Hiring now, pay a security deposit to hold your place', 'security deposit'],
  },
  brokerage_fee: {
    vi: ['Tuyển kỹ sư đi Nhật, phí môi giới 3.000 USD', 'phí môi giới'],
    en: ['Hiring engineers for Japan, broker fee 3,000 USD', 'broker fee'],
  },
  fee_above_cap: {
    vi: [
      'Đơn hàng Nhật Bản lương 30 triệu, phí dịch vụ 150 triệu thu sau khi ký hợp đồng',
      'phí dịch vụ 150 triệu',
    ],
    en: ['Job in Japan, salary 1,200 USD per month, service fee 6,000 USD after signing', 'fee 6,000 USD'],
  },
  fee_check_legal: {
    vi: ['Đơn hàng Đài Loan, lương 28.000 Đài tệ, phí dịch vụ thu sau khi ký hợp đồng', 'phí dịch vụ'],
    en: ['Jobs in Taiwan, salary 900 USD, service fee charged after signing the contract', 'fee'],
  },
  documents_taken: {
    vi: ['Tuyển người đi làm, hộ chiếu công ty giữ', 'hộ chiếu công ty giữ'],
    en: ['Hiring workers, we keep your passport for safety', 'keep your passport'],
  },
  tourist_visa_for_work: {
    vi: ['Tuyển lao động, đi visa du lịch rồi làm giấy tờ sau', 'visa du lịch'],
    en: ['Hiring now, travel on a tourist visa, permit later', 'tourist'],
  },
  no_passport_or_trail: {
    vi: ['Tuyển người, không cần hộ chiếu, đi đường tiểu ngạch', 'không cần hộ chiếu'],
    en: ['Hiring now, no passport needed, we cross the border on foot', 'no passport needed'],
  },
  recruits_minors: {
    vi: ['Tuyển bạn nữ 15-20 tuổi phục vụ quán', '15-20 tuổi'],
    en: ['Hiring girls aged 16-20 for a shop', '16-20'],
  },
  looks_required: {
    vi: ['Tuyển nữ lễ tân, ngoại hình ưa nhìn, lương 8 triệu', 'ngoại hình'],
    en: ['Hiring receptionists, attractive, salary 500 USD', 'attractive'],
  },
  urgency: {
    vi: ['Tuyển gấp nhân viên bán hàng, lương 7 triệu', 'gấp'],
    en: ['Hiring sales staff, start immediately, salary 400 USD', 'immediately'],
  },
  secrecy: {
    vi: ['Có việc lương cao, đừng nói với gia đình nhé', 'đừng nói với gia đình'],
    en: ['Job offer with good salary, do not tell your parents yet', 'do not tell'],
  },
  chat_only_contact: {
    vi: ['Tuyển nhân viên bán hàng lương 7 triệu, liên hệ zalo', 'liên hệ zalo'],
    en: ['Hiring sales staff, salary 400 USD, contact on Telegram', 'Telegram'],
  },
  no_company_details: {
    vi: ['Tuyển thợ hàn đi Ba Lan, lương 1.500 USD, có kinh nghiệm 2 năm', 'Ba Lan'],
    en: ['Hiring welders for Poland, salary 1,500 USD, 2 years experience', 'Poland'],
  },
  marriage_broker: {
    vi: ['Chị có mối lấy chồng Đài Loan, nhà trai cho 100 triệu', 'lấy chồng'],
    en: ['Brides wanted for husbands in China, family receives $5000', 'Brides'],
  },
  hostess_work: {
    vi: ['Tuyển nữ tiếp viên karaoke, ngoại hình ưa nhìn, lương 20 triệu', 'tiếp viên'],
    en: ['Hiring hostess for a bar, good looking, salary 900 USD', 'hostess'],
  },
  task_scam: {
    vi: ['Tuyển CTV làm nhiệm vụ thả tim nhận hoa hồng', 'làm nhiệm vụ'],
    en: ['Part-time job: complete tasks online, commission per order', 'complete tasks'],
  },
  money_first: {
    vi: ['Tuyển CTV làm tại nhà, nạp tiền trước để nhận đơn', 'nạp tiền'],
    en: ['Work from home job, top up 50 USD first to start', 'top up'],
  },
  home_job_high_pay: {
    vi: ['Tuyển người đóng gói hàng tại nhà, 500k-1tr/ngày', '500k-1tr/ngày'],
    en: ['Packing job at home, earn $300 per day', '$300 per day'],
  },
  fake_collaborator: {
    vi: ['Tuyển cộng tác viên bán hàng, đóng phí tham gia 300k', 'cộng tác viên'],
    en: ['Join as sales collaborator, registration fee 20 USD first', 'sales collaborator'],
  },
  says_not_a_scam: {
    vi: ['Tuyển nhân viên lương 10 triệu, cam kết không lừa đảo, ib', 'không lừa'],
    en: ['Hiring staff, salary 500 USD, not a scam, DM me', 'not a scam'],
  },
  combo_abroad_vague_paid: {
    vi: ['Tuyển nhân viên văn phòng ở nước ngoài, bao vé máy bay, lương 15 triệu', 'bao vé máy bay'],
    en: ['Hiring office staff abroad, flights paid, salary 700 USD', 'flights paid'],
  },
  combo_risky_place_easy_money: {
    vi: ['Tuyển người đi Lào, việc nhẹ lương cao', 'Lào'],
    en: ['Easy job in Laos, high salary, hiring now', 'Laos'],
  },
  combo_minor_abroad: {
    vi: ['Tuyển học sinh đi làm ở Malaysia, lương 10 triệu', 'học sinh'],
    en: ['Hiring teenagers to work in Malaysia, salary 500 USD', 'teenagers'],
  },
  combo_hostess_abroad: {
    vi: ['Tuyển nữ làm massage ở Dubai, lương 2.000 USD', 'massage'],
    en: ['Hiring massage girls for Dubai, salary 2,000 USD', 'massage'],
  },
};

describe('every flag, in both languages, with evidence quoting the original', () => {
  it('the table covers every flag id', () => {
    expect(Object.keys(CASES).sort()).toEqual([...FLAG_IDS].sort());
  });
  for (const id of FLAG_IDS) {
    for (const lang of ['vi', 'en'] as const) {
      const [text, quote] = CASES[id][lang];
      it(`${id} (${lang})`, () => {
        const a = checker.check(text, lang);
        expect(a.isOffer).toBe(true);
        const flag = a.flags.find((f) => f.id === id);
        expect(flag, `${id} not raised; got ${a.flags.map((f) => f.id).join(',')}`).toBeDefined();
        expect(flag?.evidence).toContain(quote);
        expect(text).toContain(flag?.evidence);
      });
    }
  }
});

describe('combinations and levels', () => {
  const level = (t: string) => checker.check(t).level;

  it('a destination alone is not a scam; destination + vague job + paid travel is', () => {
    expect(
      level('Tuyển thợ may đi Campuchia, lương 9 triệu, công ty TNHH May Phú, địa chỉ số 3 Lê Lợi'),
    ).toBe('low');
    expect(level('Tuyển CSKH đi Campuchia, bao vé máy bay, bao ăn ở, lương 15 triệu')).toBe('high');
  });

  it('one critical flag is enough for high', () => {
    const a = checker.check('Tuyển công nhân, lương 8 triệu, công ty giữ hộ chiếu');
    expect(a.level).toBe('high');
  });

  it('a legal service fee after the contract is not a red flag, only a check', () => {
    const a = checker.check(
      'Công ty TNHH Nhân lực Hòa Bình, giấy phép số 456/LĐTBXH-GP, tuyển thực tập sinh đi Nhật Bản, lương 28 triệu, phí dịch vụ chỉ thu sau khi ký hợp đồng, có phiếu thu',
    );
    expect(a.level).toBe('low');
    expect(a.flags.map((f) => f.id)).toEqual(['fee_check_legal']);
    expect(a.notes.map((n) => n.id)).toEqual(expect.arrayContaining(['licence_given', 'fee_after_contract']));
  });

  it('good signs never lower a high verdict', () => {
    const bad = 'Tuyển CSKH đi Campuchia, bao vé máy bay, lương 1.000 USD, hộ chiếu công ty giữ';
    const withGood = `Công ty TNHH ABC, giấy phép số 123/GP, địa chỉ số 5 Lê Lợi. ${bad}. Ký hợp đồng lao động.`;
    const a = checker.check(bad);
    const b = checker.check(withGood);
    expect(a.level).toBe('high');
    expect(b.level).toBe('high');
    expect(b.score).toBeGreaterThanOrEqual(a.score);
    expect(b.notes.length).toBeGreaterThan(0);
  });

  it('style tricks do not hide a lure', () => {
    for (const t of [
      'Tuyen CSKH di Campuchia, bao ve may bay, luong 25tr, ko can kn',
      'Tuyển C.S.K.H đi C-a-m-p-u-c-h-i-a, b.a.o v.é m.á.y b.a.y, l ư ơ n g 25tr',
      '🔥Tuyển🔥 CSKH đi Cаmрuсhіа 💰 bao vé máy bay 💰 lương 25tr',
      'Tuyển CSKH đi Cam\u200bpuchia, bao vé máy bay, lư\u200bơng 25tr',
    ]) {
      expect(level(t), t).toBe('high');
    }
  });

  it('non-offers get level none, including warnings that quote lures', () => {
    for (const t of [
      'Mai đi làm không?',
      'Lương tháng này về chưa anh?',
      'Cảnh báo: thủ đoạn tuyển dụng việc nhẹ lương cao đi Campuchia, người dân cảnh giác.',
      'Beware of fake job offers in Cambodia promising easy money.',
      'Anh ơi lấy giúp em hộ chiếu ở nhà, mai em đi du lịch Thái Lan.',
    ]) {
      const a = checker.check(t);
      expect(a.isOffer, t).toBe(false);
      expect(a.level).toBe('none');
      expect(a.flags).toEqual([]);
    }
  });

  it('a warning with a way to contact the recruiter is still an offer', () => {
    const a = checker.check('Không lừa đảo! Tuyển CSKH đi Campuchia lương 1000 USD, zalo 0900 000 123');
    expect(a.isOffer).toBe(true);
    expect(a.flags.map((f) => f.id)).toContain('says_not_a_scam');
  });

  it('orders flags most severe first and keeps the score in 0..1', () => {
    const a = checker.check('Tuyển gấp CSKH đi Campuchia, bao vé, hộ chiếu công ty giữ, ib zalo');
    const order = { critical: 0, high: 1, medium: 2, low: 3 };
    const sev = a.flags.map((f) => order[f.severity]);
    expect(sev).toEqual([...sev].sort((x, y) => x - y));
    expect(a.score).toBeGreaterThan(0);
    expect(a.score).toBeLessThanOrEqual(1);
  });
});

describe('words that fold to the same letters as a lure phrase', () => {
  it.each([
    ['Kỹ sư cấp thoát nước, CÔNG TY TNHH XÂY DỰNG BẢO YẾN, lương 15 triệu', 'secrecy'],
    ['Khách sạn tại Nha Trang tuyển lễ tân, lương 9 triệu', 'home_job_high_pay'],
    ['Đơn hàng Đài Loan tuyển công nhân, lương 28.000 Đài tệ', 'advance_or_debt'],
    ['Tuyển lao động phổ thông tại Lào Cai, lương 8 triệu', 'risky_destination'],
    ['Tuyển thực tập sinh, trợ cấp 3 triệu/tháng', 'recruits_minors'],
    ['Tuyển nhân viên, cam kết lương 10 triệu, cảm ơn bạn', 'risky_destination'],
  ])('%s does not raise %s', (text, id) => {
    const a = checker.check(text);
    expect(a.isOffer).toBe(true);
    expect(a.flags.map((f) => f.id)).not.toContain(id);
  });
});
