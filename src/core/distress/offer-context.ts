import type { DistressResult } from './detect.js';

/**
 * Unclear signs (level `concern`) inside a job offer describe the offer ("the company keeps your
 * passport"), not the writer's own situation: the offer check already names them as red flags and
 * gives the numbers. Clear signs (high, imminent) always stand.
 */
export function distressBesideOffer(result: DistressResult, isOffer: boolean): DistressResult {
  if (!isOffer || result.level !== 'concern') return result;
  return { ...result, level: 'none', signals: [] };
}
