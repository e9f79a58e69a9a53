import type { OfferLevel } from './score.js';

/** What an operator can say about an offer cluster or a contact. */
export const OFFER_LABELS = ['scam', 'trafficking_risk', 'legitimate'] as const;
export type OfferLabel = (typeof OFFER_LABELS)[number];

/**
 * The level after an operator's label. A `legitimate` label lowers medium to low and nothing
 * else: a high verdict rests on signs (documents kept, fees to a person, a border trail) that no
 * label can make safe, and the other labels never lower anything.
 */
export function applyLabel(level: OfferLevel, label: OfferLabel | undefined): OfferLevel {
  return label === 'legitimate' && level === 'medium' ? 'low' : level;
}
