import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadOfferContent } from '../content/offer-flags.js';
import type { DistressLevel } from '../core/distress/detect.js';
import { DISTRESS_LEVELS, detectDistress } from '../core/distress/detect.js';
import { distressBesideOffer } from '../core/distress/offer-context.js';
import { createOfferChecker, type OfferChecker } from '../core/offers/check.js';
import type { EvalReport } from './types.js';

/** Recall of `concern` or above over the labelled corpus must reach this. */
export const RECALL_TARGET = 0.95;
/** Ordinary messages rated `high` or above must stay at or under this share. */
export const FALSE_ALARM_TARGET = 0.01;
/** Pasted job offers (with a relative's framing) that escalate must stay at or under this share. */
export const PASTED_OFFER_ALARM_TARGET = 0.02;

/** How a worried relative pastes an offer to ask about it: the framing must not make it a case. */
const RELATIVE_FRAMINGS = [
  'Con tôi nhận được tin này, có thật không: ',
  'Em gái tôi định đi theo tin này: ',
  'My son got this offer, is it real? ',
];

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CORPUS_DIR = join(ROOT, 'test', 'corpus', 'distress');
const OFFER_CORPUS = join(ROOT, 'test', 'corpus', 'offers', 'corpus.jsonl');
/** Real data sets, read in place and never copied: they hold personal data. */
export const DATA_DIR = join(ROOT, '..', 'shared', 'data');

/**
 * Corpus files written after the detector was last tuned: their figures are the honest ones.
 * Empty when every file has been tuned on; the first-look figures of each blind round are kept in
 * test/corpus/distress/README.md. Add the next blind round here before running it.
 */
export const UNTUNED_FILES: string[] = [];

export const corpusRowSchema = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  level: z.enum(['none', 'concern', 'high', 'imminent']),
  lang: z.enum(['vi', 'en']),
  kind: z.enum(['first_person', 'relative', 'subtle', 'ordinary', 'false_alarm_guard']),
  source: z.url().optional(),
  split: z.enum(['dev', 'heldout']).default('dev'),
  /** The text arrives as a forwarded message (a news item, an offer). */
  forwarded: z.boolean().optional(),
});
export type CorpusRow = z.infer<typeof corpusRowSchema> & { file: string };

/** Reads every `*.jsonl` of the distress corpus, validating each line. */
export function loadDistressCorpus(dir: string = CORPUS_DIR): CorpusRow[] {
  const rows: CorpusRow[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const parsed = corpusRowSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.message}`);
      rows.push({ ...parsed.data, file });
    });
  }
  return rows;
}

/** A small RFC 4180 reader: quoted fields, doubled quotes, newlines inside quotes. */
export function parseCsv(input: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function column(file: string, names: string[]): string[] | undefined {
  const path = join(DATA_DIR, file);
  if (!existsSync(path)) return undefined;
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  if (!header) return [];
  const indexes = names.map((n) => header.indexOf(n));
  if (indexes.some((i) => i < 0)) throw new Error(`${file}: missing column ${names.join('/')}`);
  return rows
    .filter((r) => r.length >= header.length)
    .map((r) =>
      indexes
        .map((i) => r[i] ?? '')
        .join(' ')
        .trim(),
    )
    .filter((t) => t.length > 0);
}

/** Ordinary (not distress) texts from the shared data sets; a missing file gives `undefined`. */
export const ORDINARY_SETS: { name: string; read: () => string[] | undefined }[] = [
  {
    name: 'vi_sms_ie403 (all rows, both labels)',
    read: () => column('vi_sms_ie403_dataset.csv', ['content']),
  },
  {
    name: 'vi_sms_ie403_GgSheet (scam SMS)',
    read: () => column('vi_sms_ie403_GgSheetData_raw.csv', ['content']),
  },
  {
    name: 'emscad_first499 (descriptions)',
    read: () => column('emscad_first499_Ishita1604.csv', ['description']),
  },
  {
    name: 'emscad_fraud856 (fraudulent job ads: offers, not distress)',
    read: () => column('emscad_fraud856.csv', ['description']),
  },
  { name: 'topcv job titles', read: () => column('vi_jobs_topcv_2025-10-19.csv', ['title']) },
  {
    name: 'vietnamworks job titles',
    read: () => column('vi_jobs_vietnamworks_2025-10-19.csv', ['Tên công việc']),
  },
];

const RANK: Record<DistressLevel, number> = { none: 0, concern: 1, high: 2, imminent: 3 };
const pct = (n: number, d: number): string => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);
const ratio = (n: number, d: number): number => (d === 0 ? 1 : n / d);

type Scored = { row: CorpusRow; got: DistressLevel };

function corpusLines(label: string, scored: Scored[]): { lines: string[]; recall: number; alarm: number } {
  const lines: string[] = [`${label}: ${scored.length} rows`];
  for (const level of DISTRESS_LEVELS) {
    const of = scored.filter((s) => s.row.level === level);
    const hit = of.filter((s) => s.got === level).length;
    lines.push(`  recall ${level.padEnd(8)} ${hit}/${of.length} (${pct(hit, of.length)})`);
  }
  const distress = scored.filter((s) => s.row.level !== 'none');
  const caught = distress.filter((s) => RANK[s.got] >= 1).length;
  lines.push(`  recall concern-or-above ${caught}/${distress.length} (${pct(caught, distress.length)})`);
  const ordinary = scored.filter((s) => s.row.level === 'none');
  const alarms = ordinary.filter((s) => RANK[s.got] >= 2).length;
  lines.push(`  ordinary rated high+ ${alarms}/${ordinary.length} (${pct(alarms, ordinary.length)})`);
  return {
    lines,
    recall: ratio(caught, distress.length),
    alarm: ordinary.length ? alarms / ordinary.length : 0,
  };
}

/** Runs the distress detector over the labelled corpus and the real ordinary texts. */
export async function run(): Promise<EvalReport> {
  const lines: string[] = [];
  const failures: string[] = [];
  const rows = loadDistressCorpus();
  const scored: Scored[] = rows.map((row) => ({
    row,
    got: detectDistress(row.text, { forwarded: row.forwarded ?? false }).level,
  }));

  const all = corpusLines('corpus (all)', scored);
  lines.push(...all.lines);
  for (const split of ['dev', 'heldout'] as const) {
    lines.push(
      ...corpusLines(
        `corpus ${split}`,
        scored.filter((s) => s.row.split === split),
      ).lines,
    );
  }
  const files = [...new Set(rows.map((r) => r.file))];
  for (const file of files) {
    const of = scored.filter((s) => s.row.file === file);
    const distress = of.filter((s) => s.row.level !== 'none');
    const caught = distress.filter((s) => RANK[s.got] >= 1).length;
    const ordinary = of.filter((s) => s.row.level === 'none');
    const alarms = ordinary.filter((s) => RANK[s.got] >= 2).length;
    const exact = of.filter((s) => s.got === s.row.level).length;
    const tag = UNTUNED_FILES.includes(file) ? ' [never tuned on]' : '';
    lines.push(
      `file ${file}${tag}: exact ${exact}/${of.length}, concern+ recall ${caught}/${distress.length}, ordinary high+ ${alarms}/${ordinary.length}`,
    );
  }
  lines.push('confusion (rows = expected, columns = detected):');
  lines.push(`  ${''.padEnd(9)}${DISTRESS_LEVELS.map((l) => l.padStart(9)).join('')}`);
  for (const expected of DISTRESS_LEVELS) {
    const counts = DISTRESS_LEVELS.map(
      (got) => scored.filter((s) => s.row.level === expected && s.got === got).length,
    );
    lines.push(`  ${expected.padEnd(9)}${counts.map((c) => String(c).padStart(9)).join('')}`);
  }
  const wrong = scored.filter((s) => s.got !== s.row.level);
  if (wrong.length > 0) {
    lines.push(
      `misrated corpus rows: ${wrong.map((s) => `${s.row.id} (${s.row.level}->${s.got})`).join(', ')}`,
    );
  }
  failures.push(...(await besideTheOfferCheck(rows, lines)));
  if (all.recall < RECALL_TARGET) {
    failures.push(`recall of concern-or-above ${all.recall.toFixed(3)} < ${RECALL_TARGET}`);
  }
  if (all.alarm > FALSE_ALARM_TARGET) {
    failures.push(`corpus ordinary rows rated high+ ${(100 * all.alarm).toFixed(1)}% > 1%`);
  }

  let realTotal = 0;
  let realAlarms = 0;
  for (const set of ORDINARY_SETS) {
    const texts = set.read();
    if (texts === undefined) {
      lines.push(`${set.name}: skipped (file not found in ${DATA_DIR})`);
      continue;
    }
    const levels = texts.map((t) => detectDistress(t).level);
    const concern = levels.filter((l) => l === 'concern').length;
    // Row numbers only: these rows hold real people's messages and must not be printed.
    const alarmRows = levels.flatMap((l, i) => (RANK[l] >= 2 ? [i + 1] : []));
    realTotal += texts.length;
    realAlarms += alarmRows.length;
    lines.push(
      `${set.name}: ${texts.length} texts, high+ ${alarmRows.length} (${pct(alarmRows.length, texts.length)}), concern ${concern} (${pct(concern, texts.length)})${alarmRows.length ? `, rows ${alarmRows.slice(0, 10).join(' ')}` : ''}`,
    );
    if (texts.length > 0 && alarmRows.length / texts.length > FALSE_ALARM_TARGET) {
      failures.push(`${set.name}: rated high+ ${pct(alarmRows.length, texts.length)} > 1%`);
    }
  }
  if (realTotal > 0)
    lines.push(
      `real ordinary texts overall: high+ ${realAlarms}/${realTotal} (${pct(realAlarms, realTotal)})`,
    );
  return { name: 'distress', lines, failures };
}

/**
 * The runtime does not act on the detector alone: a text that also reads as a job offer keeps
 * only the distress the offer check cannot explain (see distressBesideOffer). Measured here on the
 * same corpus, so an offer rule that swallows a person's report shows up as lost recall; and on
 * the offer corpus pasted with a relative's words, where escalating would be a false alarm.
 */
async function besideTheOfferCheck(rows: CorpusRow[], lines: string[]): Promise<string[]> {
  const failures: string[] = [];
  const content = await loadOfferContent(join(ROOT, 'content'));
  const checker: OfferChecker = createOfferChecker(content.catalogue, content.rates);
  const inRuntime = (text: string, forwarded: boolean) =>
    distressBesideOffer(detectDistress(text, { forwarded }), checker.check(text).isOffer).level;
  const distress = rows.filter((r) => r.level !== 'none');
  const caught = distress.filter((r) => inRuntime(r.text, r.forwarded ?? false) !== 'none');
  // Rows the detector caught and the offer check then silenced: the cost of the rule itself.
  const lost = distress.filter(
    (r) =>
      !caught.includes(r) && detectDistress(r.text, { forwarded: r.forwarded ?? false }).level !== 'none',
  );
  const recall = ratio(caught.length, distress.length);
  lines.push(
    `beside the offer check (as the runtime acts): concern+ recall ${caught.length}/${distress.length} (${pct(caught.length, distress.length)}); caught by the detector but silenced by the offer check: ${lost.length ? lost.map((r) => r.id).join(', ') : 'none'}`,
  );
  if (recall < RECALL_TARGET)
    failures.push(`recall beside the offer check ${recall.toFixed(3)} < ${RECALL_TARGET}`);

  const offers = readFileSync(OFFER_CORPUS, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { text: string }).text);
  let pasted = 0;
  let alarms = 0;
  for (const offer of offers) {
    for (const framing of RELATIVE_FRAMINGS) {
      const text = framing + offer;
      if (!checker.check(text).isOffer) continue;
      pasted++;
      if (inRuntime(text, false) !== 'none') alarms++;
    }
  }
  lines.push(
    `offers pasted with a relative's words: ${pasted}, escalated ${alarms} (${pct(alarms, pasted)})`,
  );
  if (ratio(alarms, pasted) > PASTED_OFFER_ALARM_TARGET)
    failures.push(
      `pasted offers escalated ${pct(alarms, pasted)} > ${pct(PASTED_OFFER_ALARM_TARGET * 100, 100)}`,
    );
  return failures;
}
