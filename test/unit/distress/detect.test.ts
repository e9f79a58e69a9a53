import { describe, expect, it } from 'vitest';
import type { DistressLevel } from '../../../src/core/distress/detect.js';
import { detectDistress, SIGNAL_IDS } from '../../../src/core/distress/detect.js';

type Case = [text: string, level: DistressLevel, signals: string[]];

const firstPerson: Case[] = [
  ['cứu tôi', 'high', ['help_request']],
  ['tôi bị giữ', 'imminent', ['confinement']],
  ['họ không cho về', 'high', ['cannot_leave']],
  ['em bị đánh vì không đủ chỉ tiêu', 'imminent', ['violence']],
  ['bị lấy hộ chiếu rồi', 'high', ['passport_taken']],
  ['tôi bị bán sang công ty khác', 'high', ['sold', 'moved_between_companies']],
  ['muốn về phải chuộc 5000 đô', 'high', ['ransom']],
  ['help me', 'high', ['help_request']],
  ['they took my passport', 'high', ['passport_taken']],
  ["I can't leave", 'high', ['cannot_leave']],
  ['họ đe dọa sẽ giết em nếu em báo công an', 'imminent', ['threat']],
  ['muốn nghỉ phải đóng phí đền bù hợp đồng 15.000 đô', 'high', ['ransom']],
  [
    'họ bắt em làm 16 tiếng một ngày, ai không làm thì bị đánh',
    'imminent',
    ['violence', 'forced_work', 'excessive_hours'],
  ],
  [
    'I was tricked into coming to Cambodia, now I am forced to scam people',
    'high',
    ['forced_work', 'deceived'],
  ],
];

const relatives: Case[] = [
  ['con tôi bị giữ ở Campuchia', 'imminent', ['confinement']],
  ['họ đòi 3.000 đô tiền chuộc', 'high', ['ransom']],
  [
    'Họ đòi gia đình gửi 5.000 USD trước thứ Sáu thì mới thả con tôi',
    'imminent',
    ['ransom', 'ransom_deadline'],
  ],
  ['my sister is locked in', 'imminent', ['confinement']],
  ['they want 5000 usd by Friday or they will beat him', 'imminent', ['threat', 'ransom', 'ransom_deadline']],
  ['con gái tôi 15 tuổi bị lừa sang Campuchia', 'imminent', ['deceived', 'minor']],
  [
    'my brother was sold to another compound, they ask for ransom',
    'high',
    ['ransom', 'sold', 'moved_between_companies'],
  ],
];

const subtle: Case[] = [
  ['they moved him to another company again', 'concern', ['moved_between_companies']],
  ['it is like a prison here', 'concern', ['prison_like']],
  ['they keep my phone at night', 'concern', ['contact_cut']],
  ['ở đây như nhà tù vậy', 'concern', ['prison_like']],
  ['họ không trả lương ba tháng rồi', 'concern', ['wages_withheld']],
  ['con tôi sang đó hai tháng giờ mất liên lạc', 'concern', ['contact_cut']],
];

const guards: string[] = [
  'gọi cứu hộ giúp mình với, xe hỏng giữa đường',
  'help me check this offer',
  'giúp mình xem tin này với',
  'chết rồi, quên làm bài tập',
  'cứu em bài toán này với mọi người ơi',
  'mẹ mà biết thì giết con mất',
  'can you help me with my homework',
  'my mom will kill me if she sees my grades',
  'bị đánh giá 1 sao oan quá',
  'tài khoản ngân hàng của em bị khóa rồi',
  'em bị giữ xe vì không mang bằng lái',
  'We are trapped in traffic, be there in 20 minutes',
  'nhân vật của em bị nhốt trong hầm, qua màn này kiểu gì',
  'mình chuyển sang công ty khác rồi, lương cao hơn',
  'I moved to another company last year and I love it',
  'điện thoại em hỏng rồi',
  'Tết này em không về quê được vì phải trực ca',
  'Tổng đài 111 hỗ trợ nạn nhân mua bán người, miễn phí 24/7. Chia sẻ để mọi người biết.',
  // Found in blind review rounds: each once raised a false alarm.
  'hôm qua bị đánh cắp ví ở chợ',
  'tôi bị giữ lại sau giờ làm để họp, mệt quá',
  'he got sold on the idea of moving to Australia',
  'we are locked in a tight race for first place',
  'they beat us 3-1 in the final',
  'the company holds our passports only for the visa renewal, we get them back the same day',
  'cứu, con mèo nhà em lại trèo lên mái nhà',
  'Kế toán tổng hợp thu nhập lên đến 18 triệu',
  'bạn thân em bị ốm',
  'em bị đánh rơi điện thoại xuống nước',
  'he was sold a fake phone online',
  'bị nhốt ở nhà cả tuần vì dịch',
];

describe('detectDistress', () => {
  describe.each([
    ['first person', firstPerson],
    ['relatives', relatives],
    ['subtle', subtle],
  ])('%s', (_name, cases) => {
    it.each(cases)('%s -> %s', (text, level, signals) => {
      const result = detectDistress(text);
      expect(result.level).toBe(level);
      expect([...result.signals].sort()).toEqual([...signals].sort());
    });
  });

  it.each(guards)('false-alarm guard: %s', (text) => {
    expect(detectDistress(text)).toMatchObject({ level: 'none', signals: [] });
  });

  it.each([
    ['cuu toi voi, toi bi giu o campuchia', 'cứu tôi với, tôi bị giữ ở Campuchia'],
    ['e bi danh, ko cho ve', 'em bị đánh, không cho về'],
    ['ho lay ho chieu cua em roi', 'họ lấy hộ chiếu của em rồi'],
    ['cuuuu e voiii', 'cứu em với'],
    ['mk bị lừa sang cam, h ko về đc', 'mình bị lừa sang Campuchia, giờ không về được'],
  ])('reads "%s" like "%s"', (typed, proper) => {
    const a = detectDistress(typed);
    const b = detectDistress(proper);
    expect(a.level).toBe(b.level);
    expect(a.level).not.toBe('none');
  });

  it('escalates combinations the ILO and UNODC name as stronger together', () => {
    // Kept in and guarded is confinement now.
    expect(
      detectDistress('anh tôi bị đưa vào một khu có tường cao, bảo vệ cầm súng, không ra được').level,
    ).toBe('imminent');
    // A minor abroad with any worrying sign is an emergency.
    expect(detectDistress('my 16 year old went to Cambodia and says she cannot come home').level).toBe(
      'imminent',
    );
    // Two indicators abroad make a clear forced-labour situation.
    expect(detectDistress('ở Campuchia, làm 14 tiếng mỗi ngày, không trả lương').level).toBe('high');
  });

  it('reads a deadline only together with a ransom', () => {
    expect(detectDistress('nộp bài trước thứ Sáu nhé').level).toBe('none');
    expect(detectDistress('họ đòi 3000 đô tiền chuộc trước thứ Sáu').signals).toContain('ransom_deadline');
  });

  it('raises any danger involving a minor', () => {
    const adult = detectDistress('em bị lấy hộ chiếu');
    const child = detectDistress('em 15 tuổi, em bị lấy hộ chiếu');
    expect(adult.level).toBe('high');
    expect(child).toMatchObject({ level: 'imminent', minor: true });
    expect(child.signals).toContain('minor');
    expect(detectDistress('con mình 15 tuổi, đang học lớp 9').level).toBe('none');
  });

  it('flags abroad and third person', () => {
    expect(detectDistress('con tôi bị giữ ở Campuchia')).toMatchObject({ abroad: true, thirdPerson: true });
    expect(detectDistress('cứu em, em bị nhốt ở Bavet')).toMatchObject({ abroad: true, thirdPerson: false });
    expect(detectDistress('tôi bị giữ')).toMatchObject({ abroad: false, thirdPerson: false });
  });

  it('lets a forwarded news item pass but not a forwarded plea', () => {
    const news = 'Theo báo Tuổi Trẻ, công an đã giải cứu 30 người bị giam giữ, bị đánh đập ở Campuchia';
    expect(detectDistress(news, { forwarded: true }).level).toBe('none');
    expect(detectDistress(news).level).toBe('concern');
    expect(detectDistress('mẹ ơi cứu con, con bị giữ ở Bavet', { forwarded: true }).level).toBe('imminent');
  });

  it('does not alarm on a forwarded offer that says the company keeps the passport', () => {
    const offer = 'Tuyển nhân viên CSKH tại Campuchia, lương 1000$, bao ăn ở, công ty giữ hộ chiếu giúp';
    expect(detectDistress(offer, { forwarded: true }).level).toBe('none');
  });

  it('only reports known signal ids, and none when the level is none', () => {
    for (const text of [...firstPerson, ...relatives, ...subtle].map((c) => c[0])) {
      for (const s of detectDistress(text).signals) expect(SIGNAL_IDS).toContain(s);
    }
    expect(detectDistress('').level).toBe('none');
    expect(detectDistress('   ').signals).toEqual([]);
  });

  it('is deterministic', () => {
    const text = 'con toi bi giu o campuchia ho doi 3000 do tien chuoc';
    expect(detectDistress(text)).toEqual(detectDistress(text));
  });
});
