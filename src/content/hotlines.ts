import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { HotlineEntry } from '../core/distress/safety-content.js';
import { HOTLINE_TAGS } from '../core/distress/safety-content.js';
import type { Locale } from '../core/locale.js';
import { LOCALES } from '../core/locale.js';
import { ContentError } from '../errors.js';

/** Validates one entry of `content/<locale>/hotlines.yaml`. */
export const hotlineEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9_]+$/),
  /** As shown to people. */
  number: z.string().regex(/^\+?[0-9 ]+$/),
  /** As dialled (tel: link): digits and a leading + only. */
  dial: z.string().regex(/^\+?[0-9]+$/),
  name: z.string().min(1),
  answered_by: z.string().min(1),
  hours: z.string().min(1),
  /** True only where a cited source says the call is free. */
  free: z.boolean(),
  /** True only where a cited source says the line is open day and night. */
  open_24_7: z.boolean(),
  use_for: z.array(z.enum(HOTLINE_TAGS)).min(1),
  note: z.string().optional(),
  email: z.string().optional(),
  sources: z.array(z.url()).min(1),
  confidence: z.enum(['high', 'medium', 'low']),
});
export type { HotlineEntry };

// Fails to compile if the schema and the core type drift apart.
const _sameShape: (e: z.infer<typeof hotlineEntrySchema>) => HotlineEntry = (e) => e;
void _sameShape;

const hotlinesFileSchema = z.object({ hotlines: z.array(hotlineEntrySchema).min(1) });

function readYaml(path: string): unknown {
  try {
    return parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ContentError(`${path}: cannot read or parse (${(error as Error).message})`);
  }
}

/** Loads and validates one locale's hotline directory. Throws ContentError on any problem. */
export function loadHotlines(contentRoot: string, locale: Locale): HotlineEntry[] {
  const path = join(contentRoot, locale, 'hotlines.yaml');
  const parsed = hotlinesFileSchema.safeParse(readYaml(path));
  if (!parsed.success) {
    throw new ContentError(
      `${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const ids = new Set<string>();
  for (const entry of parsed.data.hotlines) {
    if (ids.has(entry.id)) throw new ContentError(`${path}: duplicate hotline id ${entry.id}`);
    ids.add(entry.id);
    if (entry.number.replace(/ /g, '') !== entry.dial) {
      throw new ContentError(`${path}: ${entry.id}: number ${entry.number} and dial ${entry.dial} differ`);
    }
  }
  return parsed.data.hotlines;
}

/**
 * Loads the directory in every locale and checks that they list the same ids with the same numbers,
 * tags and flags: a translation must never change a phone number or what it is for.
 */
export function loadAllHotlines(contentRoot: string): Record<Locale, HotlineEntry[]> {
  const [first, ...rest] = LOCALES;
  const all = { [first]: loadHotlines(contentRoot, first) } as Record<Locale, HotlineEntry[]>;
  for (const locale of rest) {
    all[locale] = loadHotlines(contentRoot, locale);
    const problems = compareHotlines(all[first], all[locale]);
    if (problems.length > 0) throw new ContentError(`hotlines ${first} vs ${locale}: ${problems.join('; ')}`);
  }
  return all;
}

/** Differences between two locales' directories that would make them disagree on facts. */
export function compareHotlines(a: HotlineEntry[], b: HotlineEntry[]): string[] {
  const problems: string[] = [];
  const byId = new Map(b.map((e) => [e.id, e]));
  for (const entry of a) {
    const other = byId.get(entry.id);
    if (!other) {
      problems.push(`${entry.id} missing`);
      continue;
    }
    byId.delete(entry.id);
    if (entry.number !== other.number || entry.dial !== other.dial)
      problems.push(`${entry.id}: numbers differ`);
    if (entry.free !== other.free || entry.open_24_7 !== other.open_24_7)
      problems.push(`${entry.id}: flags differ`);
    if (entry.use_for.join() !== other.use_for.join()) problems.push(`${entry.id}: use_for differs`);
    if (entry.confidence !== other.confidence) problems.push(`${entry.id}: confidence differs`);
    if ((entry.email ?? '') !== (other.email ?? '')) problems.push(`${entry.id}: email differs`);
  }
  for (const id of byId.keys()) problems.push(`${id} only in one locale`);
  return problems;
}
