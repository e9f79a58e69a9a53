import type { DistressResult } from './detect.js';

/**
 * Inside a job offer, words such as "the company keeps your passport" describe the offer, not the
 * writer: the offer check already names them as red flags and gives the numbers, and the people
 * who paste offers are mostly relatives asking "is this real?". So, for a text that reads as an
 * offer, `concern` and `high` give way to the offer check; `imminent` (violence, confinement now,
 * a ransom deadline) always stands, so "my son went for this job and now they beat him" escalates.
 */
export function distressBesideOffer(result: DistressResult, isOffer: boolean): DistressResult {
  if (!isOffer || result.level === 'none' || result.level === 'imminent') return result;
  return { ...result, level: 'none', signals: [] };
}
