import { loadOfferContent } from '../src/content/offer-flags.js';
import { createOfferChecker } from '../src/core/offers/check.js';
import { LEXICON } from '../src/core/offers/lexicon.js';
import { createSegmenter, normalise } from '../src/core/offers/normalise.js';
import { compilePhrases } from '../src/core/offers/phrase-matcher.js';
import { offerTexts } from './_offer-texts.js';
import type { BenchResult } from './types.js';

const SECONDS = 0.5;
/** Rounds, alternating the two passes; the best round of each counts (least disturbed by neighbours). */
const ROUNDS = 4;

/**
 * Items per CPU-second of this process. CPU time, not wall time: on a shared machine other
 * processes steal the core, and wall-clock rates would measure the neighbours, not the checker.
 */
function perSecond(fn: (t: string) => unknown, input: string[]): number {
  for (let i = 0; i < 2000; i++) fn(input[i % input.length] as string); // warm up the JIT
  let n = 0;
  let sink = 0;
  const startWall = process.hrtime.bigint();
  const budget = BigInt(Math.round(SECONDS * 1e9));
  const startCpu = process.cpuUsage();
  while (process.hrtime.bigint() - startWall < budget) {
    for (let i = 0; i < 200; i++) {
      if (fn(input[n % input.length] as string)) sink++;
      n++;
    }
  }
  const cpu = process.cpuUsage(startCpu);
  if (sink < 0) console.log(sink);
  return n / ((cpu.user + cpu.system) / 1e6);
}

/** Offers per second for the full rules check, against a bare normalise-and-scan pass. */
export async function run(): Promise<BenchResult[]> {
  const content = await loadOfferContent('content');
  const checker = createOfferChecker(content.catalogue, content.rates);
  const matcher = compilePhrases(LEXICON);
  const seg = createSegmenter(matcher.vocabulary());
  const input = offerTexts();
  const avg = Math.round(input.reduce((s, t) => s + t.length, 0) / input.length);
  let baseline = 0;
  let full = 0;
  for (let r = 0; r < ROUNDS; r++) {
    baseline = Math.max(
      baseline,
      perSecond((t) => matcher.match(normalise(t, seg)).length, input),
    );
    full = Math.max(
      full,
      perSecond((t) => checker.check(t).score, input),
    );
  }
  return [
    {
      name: 'offer-checker: full rules check',
      value: Math.round(full),
      unit: 'offers/s (per CPU-second)',
      baseline: { name: 'normalise + phrase scan only', value: Math.round(baseline) },
      ratio: Math.round((full / baseline) * 100) / 100,
      target: '>= 20000 offers/s on one core',
      note: `${input.length} texts of ~${avg} chars built from the corpus; best of ${ROUNDS} rounds, CPU time of this process`,
    },
  ];
}
