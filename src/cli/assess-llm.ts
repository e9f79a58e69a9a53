import { MemoryOpinionCache } from '../adapters/memory/memory-opinion-cache.js';
import {
  createOfferSecondOpinion,
  type OfferSecondOpinion,
} from '../adapters/openai/offer-second-opinion.js';
import { loadConfig } from '../config.js';
import type { Locale } from '../core/locale.js';
import type { OfferFlagCatalogue } from '../core/offers/catalogue.js';
import type { OfferChecker } from '../core/offers/check.js';
import { systemClock } from '../ports/clock.js';

/** The second opinion from OPENAI_* settings, for `assess --llm`; throws when none is set. */
export function secondOpinionFromEnv(catalogue: OfferFlagCatalogue): OfferSecondOpinion {
  const config = loadConfig();
  if (!config.openai) throw new Error('--llm needs OPENAI_API_KEY (and OPENAI_BASE_URL for a local server)');
  return createOfferSecondOpinion({
    apiKey: config.openai.apiKey,
    baseUrl: config.openai.baseUrl,
    model: config.openai.model,
    timeoutMs: config.openai.timeoutMs,
    flags: [...catalogue.en.flags.values()].map((f) => ({ id: f.id, name: f.name })),
    cache: new MemoryOpinionCache(systemClock),
  });
}

/**
 * One `assess --jsonl --llm` output line: the rules line (`rulesLine`, from assessLine) with
 * `offer.level` raised to max(rules, model), plus `rulesLevel` and `llm`
 * ({level, raised, failure, flags, summary}).
 */
export async function withSecondOpinion(
  rulesLine: string,
  inputLine: string,
  opinion: OfferSecondOpinion,
): Promise<string> {
  const out = JSON.parse(rulesLine) as {
    offer?: { level: 'none' | 'low' | 'medium' | 'high'; flags: Array<{ id: string }> };
  };
  if (!out.offer) return JSON.stringify(out);
  const text = (JSON.parse(inputLine) as { text: string }).text;
  const r = await opinion.review(
    text,
    { level: out.offer.level, flagIds: out.offer.flags.map((f) => f.id) },
    'vi',
  );
  return JSON.stringify({
    ...out,
    offer: { ...out.offer, level: r.finalLevel },
    rulesLevel: r.rulesLevel,
    llm: {
      level: r.opinion?.level ?? null,
      raised: r.raised,
      failure: r.failure ?? null,
      flags: r.opinion?.flags ?? [],
      summary: r.opinion?.summary ?? null,
    },
  });
}

/** The human-readable second-opinion line for `assess "text" --llm`. */
export async function describeSecondOpinion(
  checker: OfferChecker,
  opinion: OfferSecondOpinion,
  text: string,
  locale: Locale,
): Promise<string> {
  const a = checker.check(text, locale);
  const r = await opinion.review(text, { level: a.level, flagIds: a.flags.map((f) => f.id) }, locale);
  if (r.failure)
    return `second opinion: unavailable (${r.failure}); the rules answer stands (${r.rulesLevel})`;
  return `second opinion: model ${r.opinion?.level}, final ${r.finalLevel}${r.raised ? ' (raised)' : ''}: ${r.opinion?.summary ?? ''}`;
}
