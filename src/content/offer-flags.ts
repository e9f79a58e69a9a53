import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { LOCALES, type Locale } from '../core/locale.js';
import type { OfferFlagCatalogue, OfferFlagText, OfferNoteText } from '../core/offers/catalogue.js';
import type { OfferAnswerText } from '../core/offers/explain.js';
import type { ExchangeRates } from '../core/offers/extract.js';
import { ContentError } from '../errors.js';

const url = z.url({ protocol: /^https?$/ });
const id = z.string().regex(/^[a-z][a-z0-9_]*$/);

/** Schema of content/{vi,en}/offer-flags.yaml. */
export const OfferFlagsFileSchema = z.strictObject({
  flags: z.array(
    z.strictObject({
      id,
      severity: z.enum(['critical', 'high', 'medium', 'low']),
      name: z.string().min(2),
      why: z.string().min(10),
      advice: z.string().min(10),
      source: url,
    }),
  ),
  notes: z.array(z.strictObject({ id, name: z.string().min(2), text: z.string().min(10), source: url })),
});

/** Schema of content/exchange-rates.yaml. */
export const ExchangeRatesFileSchema = z.strictObject({
  as_of: z.string(),
  status: z.string(),
  per_usd: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().positive()),
});

/** Schema of content/{vi,en}/offer-answer.yaml. */
export const OfferAnswerFileSchema = z.strictObject({
  verdict: z.strictObject({ none: z.string(), low: z.string(), medium: z.string(), high: z.string() }),
  labels: z.strictObject({
    flags_title: z.string(),
    evidence: z.string().includes('{evidence}'),
    more_flags: z.string().includes('{count}'),
    notes_title: z.string(),
    todo_title: z.string(),
    questions_title: z.string(),
    hotlines_title: z.string(),
    why: z.string(),
    advice: z.string(),
    source: z.string(),
  }),
  todo: z.array(z.string()).min(1),
  questions: z.array(z.string()).min(1),
  licence_url: url,
  hotlines: z.array(z.strictObject({ number: z.string(), label: z.string(), source: url })).min(1),
  not_offer: z.string(),
  no_flags: z.string(),
  buttons: z.strictObject({
    explain_more: z.string(),
    already_there: z.string(),
    report: z.string(),
    check_another: z.string(),
    menu: z.string(),
  }),
});

async function readYaml<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  let raw: unknown;
  try {
    raw = parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new ContentError(`${path}: cannot read or parse: ${(err as Error).message}`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new ContentError(`${path}: ${z.prettifyError(r.error)}`);
  return r.data;
}

/**
 * Loads the red-flag catalogue from `<root>/{vi,en}/offer-flags.yaml` and checks that both
 * languages have the same flag and note ids with the same severities.
 */
export async function loadOfferFlagCatalogue(root = 'content'): Promise<OfferFlagCatalogue> {
  const files = {} as Record<Locale, z.infer<typeof OfferFlagsFileSchema>>;
  for (const loc of LOCALES)
    files[loc] = await readYaml(join(root, loc, 'offer-flags.yaml'), OfferFlagsFileSchema);
  const [base, ...rest] = LOCALES;
  const ref = files[base as Locale];
  for (const loc of rest) {
    const other = files[loc];
    const a = ref.flags.map((f) => `${f.id}:${f.severity}`).join(',');
    const b = other.flags.map((f) => `${f.id}:${f.severity}`).join(',');
    if (a !== b)
      throw new ContentError(`offer-flags.yaml: ${base} and ${loc} differ in flag ids or severities`);
    if (ref.notes.map((n) => n.id).join(',') !== other.notes.map((n) => n.id).join(','))
      throw new ContentError(`offer-flags.yaml: ${base} and ${loc} differ in note ids`);
  }
  const out = {} as OfferFlagCatalogue;
  for (const loc of LOCALES) {
    const ids = new Set<string>();
    for (const f of files[loc].flags) {
      if (ids.has(f.id)) throw new ContentError(`offer-flags.yaml (${loc}): duplicate id ${f.id}`);
      ids.add(f.id);
    }
    out[loc] = {
      flags: new Map<string, OfferFlagText>(files[loc].flags.map((f) => [f.id, f])),
      notes: new Map<string, OfferNoteText>(files[loc].notes.map((n) => [n.id, n])),
    };
  }
  return out;
}

/** Loads `<root>/exchange-rates.yaml` (units per US dollar). */
export async function loadExchangeRates(root = 'content'): Promise<ExchangeRates> {
  const f = await readYaml(join(root, 'exchange-rates.yaml'), ExchangeRatesFileSchema);
  return { perUsd: f.per_usd };
}

/** Loads `<root>/{vi,en}/offer-answer.yaml`: the wording of the answer in each locale. */
export async function loadOfferAnswers(root = 'content'): Promise<Record<Locale, OfferAnswerText>> {
  const out = {} as Record<Locale, OfferAnswerText>;
  for (const loc of LOCALES)
    out[loc] = await readYaml(join(root, loc, 'offer-answer.yaml'), OfferAnswerFileSchema);
  return out;
}

/** Everything the offer checker and its answer need, loaded and validated at once. */
export async function loadOfferContent(root = 'content'): Promise<{
  catalogue: OfferFlagCatalogue;
  rates: ExchangeRates;
  answers: Record<Locale, OfferAnswerText>;
}> {
  const [catalogue, rates, answers] = await Promise.all([
    loadOfferFlagCatalogue(root),
    loadExchangeRates(root),
    loadOfferAnswers(root),
  ]);
  return { catalogue, rates, answers };
}
