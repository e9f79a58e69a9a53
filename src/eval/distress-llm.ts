import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOfferContent } from '../content/offer-flags.js';
import { type DistressLevel, detectDistress } from '../core/distress/detect.js';
import { distressBesideOffer } from '../core/distress/offer-context.js';
import { createOfferChecker } from '../core/offers/check.js';
import { type DistressOpinionPort, modelRaise, wantsSecondLook } from '../runtime/distress-second-look.js';
import { type CorpusRow, loadDistressCorpus, UNTUNED_FILES } from './distress.js';
import type { EvalReport } from './types.js';

const RANK: Record<DistressLevel, number> = { none: 0, concern: 1, high: 2, imminent: 3 };
const pct = (n: number, d: number): string => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Scored = {
  row: CorpusRow;
  rules: DistressLevel;
  combined: DistressLevel;
  asked: boolean;
  failure?: string;
};

/**
 * `eval-distress --llm`: the distress corpus as the runtime acts with DISTRESS_LLM=on. For each
 * row, the rules' level beside the offer check, whether the model would be asked (the same
 * filter as the runtime), and the level after its raise-only opinion. Calls the model once per
 * asked row: it needs OPENAI_* and the network, so `npm run eval` never runs it. The corpus rows
 * are written for this project (no real person's message), which is what may be sent.
 */
export async function runWithModel(
  opinion: DistressOpinionPort,
  options: { rows?: CorpusRow[]; concurrency?: number } = {},
): Promise<EvalReport> {
  const rows = options.rows ?? loadDistressCorpus();
  const content = await loadOfferContent(join(ROOT, 'content'));
  const checker = createOfferChecker(content.catalogue, content.rates);
  const scored: Scored[] = new Array(rows.length);
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const index = next++;
      const row = rows[index]!;
      const forwarded = row.forwarded ?? false;
      const looksLikeOffer = checker.check(row.text).isOffer;
      const detected = detectDistress(row.text, { forwarded });
      const rules =
        detected.level === 'none' || detected.level === 'imminent'
          ? detected
          : distressBesideOffer(detected, looksLikeOffer);
      if (!wantsSecondLook(row.text, rules.level) || (forwarded && looksLikeOffer)) {
        scored[index] = { row, rules: rules.level, combined: rules.level, asked: false };
        continue;
      }
      const r = await opinion.review(
        row.text,
        { level: rules.level },
        { locale: row.lang, forwarded, looksLikeOffer },
      );
      const raised = r.opinion && modelRaise(rules, r.opinion, looksLikeOffer);
      scored[index] = {
        row,
        rules: rules.level,
        combined: raised ? raised.level : rules.level,
        asked: true,
        ...(r.failure ? { failure: r.failure } : {}),
      };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));

  const lines: string[] = [];
  const summary = (label: string, of: Scored[]) => {
    const distress = of.filter((s) => s.row.level !== 'none');
    const ordinary = of.filter((s) => s.row.level === 'none');
    const byRules = distress.filter((s) => RANK[s.rules] >= 1).length;
    const combined = distress.filter((s) => RANK[s.combined] >= 1).length;
    const highRules = distress.filter((s) => RANK[s.row.level] >= 2 && RANK[s.rules] >= 2).length;
    const highCombined = distress.filter((s) => RANK[s.row.level] >= 2 && RANK[s.combined] >= 2).length;
    const highRows = distress.filter((s) => RANK[s.row.level] >= 2).length;
    const alarmsRules = ordinary.filter((s) => RANK[s.rules] >= 2).length;
    const alarmsCombined = ordinary.filter((s) => RANK[s.combined] >= 2).length;
    const askedRules = ordinary.filter((s) => RANK[s.rules] >= 1).length;
    const askedCombined = ordinary.filter((s) => RANK[s.combined] >= 1).length;
    lines.push(
      `${label}: concern+ recall rules ${byRules}/${distress.length} (${pct(byRules, distress.length)}) -> with model ${combined}/${distress.length} (${pct(combined, distress.length)}); high+ rows rated high+ ${highRules} -> ${highCombined} of ${highRows}; ordinary rated high+ ${alarmsRules} -> ${alarmsCombined}, concern+ ${askedRules} -> ${askedCombined} of ${ordinary.length}`,
    );
  };
  summary('corpus (all)', scored);
  for (const file of [...new Set(rows.map((r) => r.file))]) {
    const tag = UNTUNED_FILES.includes(file) ? ' [never tuned on]' : '';
    summary(
      `file ${file}${tag}`,
      scored.filter((s) => s.row.file === file),
    );
  }
  const asked = scored.filter((s) => s.asked);
  const failed = asked.filter((s) => s.failure);
  const kinds = [...new Set(failed.map((s) => s.failure))].map(
    (k) => `${k} ${failed.filter((s) => s.failure === k).length}`,
  );
  lines.push(
    `model asked about ${asked.length}/${scored.length} rows; no usable answer for ${failed.length}${kinds.length ? ` (${kinds.join(', ')})` : ''}`,
  );
  const raised = scored.filter((s) => s.combined !== s.rules);
  const gained = raised.filter((s) => s.row.level !== 'none' && s.rules === 'none');
  const overRaised = raised.filter((s) => RANK[s.combined] > RANK[s.row.level]);
  const list = (of: Scored[]) =>
    `${of
      .slice(0, 20)
      .map((s) => `${s.row.id} (${s.rules}->${s.combined}, labelled ${s.row.level})`)
      .join(', ')}${of.length > 20 ? `, and ${of.length - 20} more` : ''}`;
  lines.push(
    `model raised ${raised.length} rows: caught where the rules saw nothing ${gained.length}, past the label ${overRaised.length}`,
  );
  if (gained.length) lines.push(`  caught: ${list(gained)}`);
  if (overRaised.length) lines.push(`  past the label: ${list(overRaised)}`);
  // Figures only: the model's recall depends on the model and the day; no target to fail.
  return { name: 'distress with the model (raise-only)', lines, failures: [] };
}
