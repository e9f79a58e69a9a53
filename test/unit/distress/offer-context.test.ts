import { describe, expect, it } from 'vitest';
import { detectDistress } from '../../../src/core/distress/detect.js';
import { distressBesideOffer } from '../../../src/core/distress/offer-context.js';

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
});
