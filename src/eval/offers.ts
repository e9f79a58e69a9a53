import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { loadOfferContent } from '../content/offer-flags.js';
import { createOfferChecker, type OfferChecker } from '../core/offers/check.js';
import type { OfferLevel } from '../core/offers/score.js';
import { csvRecords } from './csv.js';
import type { EvalReport } from './types.js';

const LEVELS: OfferLevel[] = ['none', 'low', 'medium', 'high'];
const CORPUS = 'test/corpus/offers/corpus.jsonl';
const THRESHOLDS = 'test/corpus/offers/thresholds.json';
const SHARED = '../shared/data';

/** Targets from issue 6: they hold on every split. */
export const TARGETS = {
  highRecallOnLures: 0.95,
  legitRatedMediumHigh: 0.05,
  nonOffersRatedOffer: 0.02,
} as const;
/**
 * Ceiling on real job-board headlines rated medium or high. These are ordinary Vietnamese job ads
 * from two large boards; a checker that alarms on more than 1 in 20 of them teaches worried
 * parents to ignore it, so the figure is a gate, unlike the other real-data figures.
 */
export const JOB_BOARD_FALSE_ALARM_CEILING = 0.05;

const CorpusLine = z.object({
  id: z.string(),
  text: z.string(),
  label: z.enum(['high', 'medium', 'low', 'none']),
  lang: z.enum(['vi', 'en']),
  kind: z.enum(['lure', 'legit', 'nonoffer']),
  source: z.url().optional(),
  split: z.enum(['dev', 'heldout']),
});
type CorpusLine = z.infer<typeof CorpusLine>;

const SplitFigures = z.object({
  highRecallOnLures: z.number(),
  legitRatedMediumHigh: z.number(),
  nonOffersRatedOffer: z.number(),
  accuracy: z.number(),
  macroF1: z.number(),
});
const Thresholds = z.object({ dev: SplitFigures, heldout: SplitFigures });
type Figures = z.infer<typeof SplitFigures>;

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

async function loadCorpus(): Promise<CorpusLine[]> {
  const raw = await readFile(CORPUS, 'utf8');
  return raw
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const r = CorpusLine.safeParse(JSON.parse(l));
      if (!r.success) throw new Error(`${CORPUS}:${i + 1}: ${z.prettifyError(r.error)}`);
      return r.data;
    });
}

function evalSplit(checker: OfferChecker, rows: CorpusLine[], name: string, lines: string[]): Figures {
  const confusion = new Map<string, number>();
  const preds: { row: CorpusLine; level: OfferLevel; isOffer: boolean }[] = [];
  for (const row of rows) {
    const a = checker.check(row.text, row.lang);
    preds.push({ row, level: a.level, isOffer: a.isOffer });
    const k = `${row.label}>${a.level}`;
    confusion.set(k, (confusion.get(k) ?? 0) + 1);
  }
  lines.push(`-- ${name}: ${rows.length} texts`);
  lines.push(`   level    precision  recall   F1     support`);
  let f1sum = 0;
  let f1n = 0;
  for (const lv of LEVELS) {
    const tp = preds.filter((p) => p.row.label === lv && p.level === lv).length;
    const predicted = preds.filter((p) => p.level === lv).length;
    const actual = preds.filter((p) => p.row.label === lv).length;
    const prec = ratio(tp, predicted);
    const rec = ratio(tp, actual);
    const f1 = prec + rec === 0 ? 0 : (2 * prec * rec) / (prec + rec);
    if (actual > 0) {
      f1sum += f1;
      f1n++;
    }
    lines.push(
      `   ${lv.padEnd(8)} ${prec.toFixed(3).padStart(9)}  ${rec.toFixed(3).padStart(6)}  ${f1.toFixed(3)}  ${String(actual).padStart(5)}`,
    );
  }
  lines.push(`   confusion (rows = label, columns = verdict): ${LEVELS.map((l) => l.padStart(6)).join('')}`);
  for (const lv of LEVELS) {
    lines.push(
      `   ${lv.padEnd(44)} ${LEVELS.map((p) => String(confusion.get(`${lv}>${p}`) ?? 0).padStart(6)).join('')}`,
    );
  }
  const lures = preds.filter((p) => p.row.kind === 'lure' && p.row.label === 'high');
  const legit = preds.filter((p) => p.row.kind === 'legit');
  const non = preds.filter((p) => p.row.kind === 'nonoffer');
  const fig: Figures = {
    highRecallOnLures: ratio(lures.filter((p) => p.level === 'high').length, lures.length),
    legitRatedMediumHigh: ratio(
      legit.filter((p) => p.level === 'medium' || p.level === 'high').length,
      legit.length,
    ),
    nonOffersRatedOffer: ratio(non.filter((p) => p.isOffer).length, non.length),
    accuracy: ratio(preds.filter((p) => p.level === p.row.label).length, preds.length),
    macroF1: f1n ? f1sum / f1n : 0,
  };
  lines.push(
    `   high recall on lures ${pct(fig.highRecallOnLures)} (n=${lures.length}); legit rated medium/high ${pct(fig.legitRatedMediumHigh)} (n=${legit.length}); non-offers rated offer ${pct(fig.nonOffersRatedOffer)} (n=${non.length}); accuracy ${pct(fig.accuracy)}; macro F1 ${fig.macroF1.toFixed(3)}`,
  );
  const misses = preds.filter((p) => p.level !== p.row.label);
  for (const m of misses.slice(0, 12))
    lines.push(`   miss ${m.row.id}: label ${m.row.label}, got ${m.level}`);
  if (misses.length > 12) lines.push(`   ... ${misses.length - 12} more misses`);
  return fig;
}

function checkTargets(fig: Figures, split: string, failures: string[]): void {
  if (fig.highRecallOnLures < TARGETS.highRecallOnLures)
    failures.push(
      `${split}: high recall on lures ${pct(fig.highRecallOnLures)} < ${pct(TARGETS.highRecallOnLures)}`,
    );
  if (fig.legitRatedMediumHigh > TARGETS.legitRatedMediumHigh)
    failures.push(
      `${split}: legit rated medium/high ${pct(fig.legitRatedMediumHigh)} > ${pct(TARGETS.legitRatedMediumHigh)}`,
    );
  if (fig.nonOffersRatedOffer > TARGETS.nonOffersRatedOffer)
    failures.push(
      `${split}: non-offers rated offer ${pct(fig.nonOffersRatedOffer)} > ${pct(TARGETS.nonOffersRatedOffer)}`,
    );
}

function checkFloor(fig: Figures, floor: Figures, split: string, failures: string[]): void {
  const higherBetter: (keyof Figures)[] = ['highRecallOnLures', 'accuracy', 'macroF1'];
  const lowerBetter: (keyof Figures)[] = ['legitRatedMediumHigh', 'nonOffersRatedOffer'];
  for (const k of higherBetter)
    if (fig[k] < floor[k])
      failures.push(`${split}: ${k} ${fig[k].toFixed(3)} fell below the floor ${floor[k]}`);
  for (const k of lowerBetter)
    if (fig[k] > floor[k])
      failures.push(`${split}: ${k} ${fig[k].toFixed(3)} rose above the ceiling ${floor[k]}`);
}

type Shared = { lines: string[]; failures: string[] };

async function readShared(file: string): Promise<Record<string, string>[]> {
  return csvRecords(await readFile(join(SHARED, file), 'utf8'));
}

function rate(
  checker: OfferChecker,
  texts: string[],
): { n: number; medHigh: number; offer: number; high: number } {
  let medHigh = 0;
  let offer = 0;
  let high = 0;
  for (const t of texts) {
    const a = checker.check(t);
    if (a.isOffer) offer++;
    if (a.level === 'medium' || a.level === 'high') medHigh++;
    if (a.level === 'high') high++;
  }
  return { n: texts.length, medHigh, offer, high };
}

// Job-scam rows among the scam SMS: recruiting words, as the data README describes them.
const JOB_SCAM =
  /tuyển|tuyen|việc làm|viec lam|ctv|cộng tác viên|thu nhập|thu nhap|làm tại nhà|lam tai nha|nhiệm vụ|nhiem vu/i;

async function realData(checker: OfferChecker): Promise<Shared> {
  const lines: string[] = [];
  const failures: string[] = [];
  if (!existsSync(SHARED)) {
    lines.push(`real data: ${SHARED} is absent, skipped`);
    return { lines, failures };
  }
  lines.push('-- real data (read in place from ../shared/data; reported, not tuned on)');
  const topcv = await readShared('vi_jobs_topcv_2025-10-19.csv');
  const vnw = await readShared('vi_jobs_vietnamworks_2025-10-19.csv');
  const headlines = [
    ...topcv.map((r) => [r['title'], r['company'], r['salary'], r['Nơi làm việc']].join(' · ')),
    ...vnw.map((r) =>
      [r['Tên công việc'], r['Tên công ty'], r['Mức lương (VND)'], r['Nơi làm việc']].join(' · '),
    ),
  ];
  const jb = rate(checker, headlines);
  const jbShare = ratio(jb.medHigh, jb.n);
  lines.push(
    `   job-board headlines (TopCV + VietnamWorks): ${jb.n}; rated medium/high ${jb.medHigh} (${pct(jbShare)}), high ${jb.high}; seen as offers ${pct(ratio(jb.offer, jb.n))}`,
  );
  if (jbShare > JOB_BOARD_FALSE_ALARM_CEILING)
    failures.push(`job-board false alarms ${pct(jbShare)} > ceiling ${pct(JOB_BOARD_FALSE_ALARM_CEILING)}`);

  const sms = await readShared('vi_sms_ie403_dataset.csv');
  const jobScams = sms
    .filter((r) => r['label'] === '1' && JOB_SCAM.test(r['content'] ?? ''))
    .map((r) => r['content'] ?? '');
  const ordinary = sms.filter((r) => r['label'] === '0').map((r) => r['content'] ?? '');
  const js = rate(checker, jobScams);
  const ord = rate(checker, ordinary);
  lines.push(
    `   IE403 SMS job-scam rows (label 1 with recruiting words): ${js.n}; rated medium/high ${js.medHigh} (recall ${pct(ratio(js.medHigh, js.n))}); seen as offers ${pct(ratio(js.offer, js.n))}`,
  );
  lines.push(
    `   IE403 SMS ordinary rows (label 0): ${ord.n}; rated medium/high ${ord.medHigh} (${pct(ratio(ord.medHigh, ord.n))}); seen as offers ${ord.offer} (${pct(ratio(ord.offer, ord.n))})`,
  );

  const emscadText = (r: Record<string, string>) =>
    [
      r['title'],
      r['location'],
      r['salary_range'],
      r['company_profile'],
      r['description'],
      r['requirements'],
      r['benefits'],
    ]
      .filter(Boolean)
      .join('\n');
  const fraud = (await readShared('emscad_fraud856.csv')).map(emscadText);
  const first = await readShared('emscad_first499_Ishita1604.csv');
  const legit = first.filter((r) => r['fraudulent'] === '0').map(emscadText);
  const fr = rate(checker, fraud);
  const lg = rate(checker, legit);
  lines.push(
    `   EMSCAD fraud postings: ${fr.n}; rated medium/high ${fr.medHigh} (${pct(ratio(fr.medHigh, fr.n))}), high ${fr.high}`,
  );
  lines.push(
    `   EMSCAD legitimate postings: ${lg.n}; rated medium/high ${lg.medHigh} (${pct(ratio(lg.medHigh, lg.n))}), high ${lg.high}`,
  );
  lines.push(
    '   note: EMSCAD fraud is mostly work-from-home and money-mule fraud in English, not trafficking; a low figure there is expected.',
  );
  return { lines, failures };
}

/** Offer-checker evaluation: labelled corpus (dev and held-out), targets, floor, real data. */
export async function run(): Promise<EvalReport> {
  const lines: string[] = [];
  const failures: string[] = [];
  const content = await loadOfferContent('content');
  const checker = createOfferChecker(content.catalogue, content.rates);
  const corpus = await loadCorpus();
  const figs: Record<'dev' | 'heldout', Figures> = {
    dev: evalSplit(
      checker,
      corpus.filter((r) => r.split === 'dev'),
      'dev',
      lines,
    ),
    heldout: evalSplit(
      checker,
      corpus.filter((r) => r.split === 'heldout'),
      'heldout (not tuned on)',
      lines,
    ),
  };
  checkTargets(figs.dev, 'dev', failures);
  checkTargets(figs.heldout, 'heldout', failures);
  if (existsSync(THRESHOLDS)) {
    const floor = Thresholds.parse(JSON.parse(await readFile(THRESHOLDS, 'utf8')));
    checkFloor(figs.dev, floor.dev, 'dev', failures);
    checkFloor(figs.heldout, floor.heldout, 'heldout', failures);
  } else failures.push(`${THRESHOLDS} is missing`);
  const real = await realData(checker);
  lines.push(...real.lines);
  failures.push(...real.failures);
  return { name: 'offers', lines, failures };
}
