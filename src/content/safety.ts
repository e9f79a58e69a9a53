import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { HotlineEntry, SafetyTexts } from '../core/distress/safety-content.js';
import type { Locale } from '../core/locale.js';
import { LOCALES } from '../core/locale.js';
import { ContentError } from '../errors.js';
import { loadAllHotlines } from './hotlines.js';

const text = z.string().min(1);
const byAudience = z.object({ abroad: text, family: text, minor: text, unknown: text });
const yesNo = z.object({ yes: text, not_now: text });

/** Validates `content/<locale>/safety.yaml`. */
export const safetyTextsSchema = z.object({
  sources: z.array(text).min(1),
  reply: z.object({
    intro: byAudience,
    do_now: byAudience,
    hotlines_header: text,
    hotline_line: text.refine((s) => s.includes('{number}'), 'must contain {number}'),
    ask_contact: text,
    buttons: yesNo,
  }),
  discreet: z.object({
    first_line: text,
    do_now: text,
    hotline_line: text.refine((s) => s.includes('{number}'), 'must contain {number}'),
    ask_contact: text,
    buttons: yesNo,
    quick_exit: text,
    turned_on: text,
    turned_off: text,
  }),
  alerted: text,
  alerted_discreet: text,
  sla_breach: text,
  sla_breach_discreet: text,
  intake: z.object({
    skip: text,
    country: z.object({ question: text }),
    safe_to_talk: z.object({ question: text, yes: text, no: text }),
    minor: z.object({ question: text, yes: text, no: text, unknown: text }),
    contact: z.object({ question: text, here: text, phone: text, other: text }),
  }),
  closing: text,
  closing_discreet: text,
});

// Fails to compile if the schema and the core type drift apart.
const _sameShape: (t: z.infer<typeof safetyTextsSchema>) => SafetyTexts = (t) => t;
void _sameShape;

/** Phone-like numbers in a text: 3 digits or more, spaces allowed inside ("+84 981 84 84 84"). */
export function phoneNumbersIn(value: string): string[] {
  return [...value.matchAll(/\+?\d[\d ]{1,}\d/g)]
    .map((m) => m[0].replace(/ /g, ''))
    .filter((n) => n.length >= 3);
}

function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) allStrings(v, out);
  return out;
}

/** Loads and validates one locale's safety texts. Throws ContentError on any problem. */
export function loadSafetyTexts(contentRoot: string, locale: Locale): SafetyTexts {
  const path = join(contentRoot, locale, 'safety.yaml');
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ContentError(`${path}: cannot read or parse (${(error as Error).message})`);
  }
  const parsed = safetyTextsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ContentError(
      `${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/** Everything the safety reply needs, per locale. */
export type SafetyContent = Record<Locale, { texts: SafetyTexts; hotlines: HotlineEntry[] }>;

/**
 * Loads safety texts and hotlines in every locale and checks that every phone number written in
 * the safety texts exists in the hotline directory: a number typed into a text is a number nobody checked.
 */
export function loadSafetyContent(contentRoot: string): SafetyContent {
  const hotlines = loadAllHotlines(contentRoot);
  const out = {} as SafetyContent;
  for (const locale of LOCALES) {
    const texts = loadSafetyTexts(contentRoot, locale);
    const known = new Set(hotlines[locale].map((h) => h.dial));
    const strays = allStrings(texts)
      .flatMap(phoneNumbersIn)
      .filter((n) => !known.has(n));
    if (strays.length > 0) {
      throw new ContentError(`${locale}/safety.yaml: numbers not in hotlines.yaml: ${strays.join(', ')}`);
    }
    out[locale] = { texts, hotlines: hotlines[locale] };
  }
  return out;
}
