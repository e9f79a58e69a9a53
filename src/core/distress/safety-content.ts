/**
 * Shapes of the safety content the core composes from. The zod schemas in src/content/ validate
 * the YAML files against exactly these types, so the core never reads files itself.
 */

/** When a number fits; the safety reply picks numbers by these tags. */
export const HOTLINE_TAGS = [
  'emergency',
  'police',
  'rescue',
  'fire',
  'ambulance',
  'trafficking',
  'minor',
  'abroad',
  'family_in_vietnam',
  'scam_sms',
] as const;
export type HotlineTag = (typeof HOTLINE_TAGS)[number];

/** One helpline from `content/<locale>/hotlines.yaml`. */
export type HotlineEntry = {
  id: string;
  /** As shown to people. */
  number: string;
  /** As dialled: digits and a leading + only. */
  dial: string;
  name: string;
  answered_by: string;
  hours: string;
  /** True only where a cited source says the call is free. */
  free: boolean;
  /** True only where a cited source says the line is open day and night. */
  open_24_7: boolean;
  use_for: HotlineTag[];
  note?: string | undefined;
  email?: string | undefined;
  sources: string[];
  confidence: 'high' | 'medium' | 'low';
};

/** Who the safety reply speaks to. */
export type SafetyAudience = 'abroad' | 'family' | 'minor' | 'unknown';

type YesNo = { yes: string; not_now: string };

/** The texts of `content/<locale>/safety.yaml`. */
export type SafetyTexts = {
  sources: string[];
  reply: {
    intro: Record<SafetyAudience, string>;
    do_now: Record<SafetyAudience, string>;
    hotlines_header: string;
    /** Placeholders: {number}, {name}, {hours}. */
    hotline_line: string;
    ask_contact: string;
    buttons: YesNo;
  };
  discreet: {
    first_line: string;
    do_now: string;
    /** Placeholder: {number}. */
    hotline_line: string;
    ask_contact: string;
    buttons: YesNo;
    quick_exit: string;
    turned_on: string;
    turned_off: string;
  };
  /** Sent only after the case is stored. */
  alerted: string;
  alerted_discreet: string;
  /** Followed by the hotline lines. */
  sla_breach: string;
  sla_breach_discreet: string;
  intake: {
    skip: string;
    country: { question: string };
    safe_to_talk: { question: string; yes: string; no: string };
    minor: { question: string; yes: string; no: string; unknown: string };
    contact: { question: string; here: string; phone: string; other: string };
  };
  closing: string;
  closing_discreet: string;
};
