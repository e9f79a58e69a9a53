import type { Severity } from './catalogue.js';

/** Verdict levels: `none` means the text is not a job offer at all. */
export type OfferLevel = 'none' | 'low' | 'medium' | 'high';

/**
 * Weight of one flag of each severity. Flags combine as independent pieces of evidence
 * (score = 1 - product of (1 - weight)), so several medium flags add up but never to certainty.
 */
export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = {
  critical: 0.8,
  high: 0.5,
  medium: 0.25,
  low: 0.1,
};

/** Score thresholds. A single critical flag (0.8) is high on its own; two high flags are too. */
export const LEVEL_THRESHOLDS = { high: 0.75, medium: 0.35 } as const;

/** Combines flag severities into a score in 0..1 and a level. */
export function scoreFlags(
  severities: readonly Severity[],
  isOffer: boolean,
): { score: number; level: OfferLevel } {
  if (!isOffer) return { score: 0, level: 'none' };
  let keep = 1;
  for (const s of severities) keep *= 1 - SEVERITY_WEIGHT[s];
  const score = Math.round((1 - keep) * 1000) / 1000;
  const level = score >= LEVEL_THRESHOLDS.high ? 'high' : score >= LEVEL_THRESHOLDS.medium ? 'medium' : 'low';
  return { score, level };
}
