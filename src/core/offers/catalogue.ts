import type { Locale } from '../locale.js';

/** How much a flag weighs on its own. `critical` alone makes a verdict high. */
export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** One red flag as users read it: from content/{vi,en}/offer-flags.yaml. */
export type OfferFlagText = {
  id: string;
  severity: Severity;
  name: string;
  why: string;
  advice: string;
  source: string;
};

/** One "still verify" note for a sign that looks right. */
export type OfferNoteText = { id: string; name: string; text: string; source: string };

/** The red-flag catalogue in every locale, same ids in each. */
export type OfferFlagCatalogue = Record<
  Locale,
  { flags: ReadonlyMap<string, OfferFlagText>; notes: ReadonlyMap<string, OfferNoteText> }
>;
