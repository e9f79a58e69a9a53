import { beforeAll, describe, expect, it } from 'vitest';
import { loadOfferContent } from '../../../src/content/offer-flags.js';
import { detectDistress } from '../../../src/core/distress/detect.js';
import { distressBesideOffer } from '../../../src/core/distress/offer-context.js';
import { createOfferChecker, type OfferChecker } from '../../../src/core/offers/check.js';

let checker: OfferChecker;
beforeAll(async () => {
  const content = await loadOfferContent('content');
  checker = createOfferChecker(content.catalogue, content.rates);
});

/** As the runtime decides: the detector, then the offer check's say on texts that read as offers. */
function asTheRuntimeActs(text: string) {
  return distressBesideOffer(detectDistress(text), checker.check(text).isOffer);
}

describe('distress beside a job offer', () => {
  it('leaves the offer check to describe passport-keeping offers', () => {
    const offer = 'Tuyển CSKH đi Campuchia, bao vé máy bay, hộ chiếu công ty giữ';
    expect(distressBesideOffer(detectDistress(offer), true).level).toBe('none');
  });

  it('keeps imminent danger even when the message also quotes an offer', () => {
    const text = 'Con tôi đi theo tin tuyển dụng CSKH ở Campuchia lương 1000 đô, giờ họ đánh nó và nhốt lại';
    const result = detectDistress(text);
    expect(result.level).toBe('imminent');
    expect(distressBesideOffer(result, true)).toEqual(result);
  });

  it('changes nothing for a text that is not an offer', () => {
    const result = detectDistress('họ giữ hộ chiếu của tôi, không cho về');
    expect(distressBesideOffer(result, false)).toEqual(result);
  });

  // Each of these names a place, work and an amount, so the offer check reads it as an offer;
  // each tells of a person it is happening to, and must reach an operator.
  it.each([
    [
      'em gái tôi sang Campuchia làm việc 3 tháng nay không được gọi điện về nhà, công ty nói nó nợ 5000 đô mới cho về',
      'high',
    ],
    ['bạn em đi xuất khẩu lao động mà giờ mất liên lạc 2 tuần rồi, lần cuối nó nhắn là sợ lắm', 'concern'],
    ['my husband is being forced to scam people online in Myanmar', 'high'],
    ['con trai tôi làm ở Myawaddy, họ đòi 20.000 USD tiền bồi thường hợp đồng mới thả về', 'high'],
    ['vợ em sang làm giúp việc, bị chủ giữ hộ chiếu, không trả lương', 'high'],
    ['the agency is asking 7000 dollars from us before they release my husband', 'high'],
    ['my son told me the job is not what they promised and he owes the recruiter', 'concern'],
  ])('keeps a report told about a person, even when it reads as an offer: %s', (text, level) => {
    expect(checker.check(text).isOffer).toBe(true);
    expect(asTheRuntimeActs(text).level).toBe(level);
  });

  it.each([
    'Con tôi nhận được tin này, có thật không: Tuyển CSKH đi Campuchia, lương 25 triệu, bao vé máy bay, bao ăn ở, công ty giữ hộ chiếu cho an toàn',
    'My son got this offer, is it real? Customer service in Cambodia, $1,000 a month, flights and housing paid, the company keeps your passport.',
    'Em gái tôi định đi theo tin này: làm tại nhà, đóng cọc 500k nhận hàng, làm đủ chỉ tiêu mới trả lương',
  ])('answers a relative who pastes an offer with the offer check, not a case: %s', (text) => {
    expect(checker.check(text).isOffer).toBe(true);
    expect(asTheRuntimeActs(text).level).toBe('none');
  });
});
