/**
 * Offer checker from the command line. Exact interface, relied on by outside evaluators
 * (`--llm` adds the second opinion: offer.level becomes max(rules, model), plus rulesLevel and llm):
 *   npm run --silent assess -- --jsonl < in.jsonl > out.jsonl
 *     in:  {"id": "...", "text": "..."} per line
 *     out: {"id": "...", "offer": {"isOffer", "level", "score", "flags": [{"id", "evidence"}]},
 *           "distress": {"level": "none|concern|high|imminent", "signals": [...]}} per line;
 *          a bad line gets {"id"?, "error": "..."} and the run goes on.
 *   npm run --silent assess -- "some text" [--lang en]   prints the explanation for people.
 */
import { createInterface } from 'node:readline';
import { loadOfferContent } from '../content/offer-flags.js';
import { detectDistress } from '../core/distress/detect.js';
import { distressBesideOffer } from '../core/distress/offer-context.js';
import { isLocale, type Locale } from '../core/locale.js';
import { createOfferChecker, type OfferChecker } from '../core/offers/check.js';
import { explainOffer } from '../core/offers/explain.js';

type Args = {
  jsonl: boolean;
  lang: Locale;
  long: boolean;
  text: string | undefined;
  content: string;
  llm?: boolean;
};

function parseArgs(argv: string[]): Args {
  const args: Args = { jsonl: false, lang: 'vi', long: false, text: undefined, content: 'content' };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--jsonl') args.jsonl = true;
    else if (a === '--long') args.long = true;
    else if (a === '--llm') args.llm = true;
    else if (a === '--lang') {
      const v = argv[++i];
      if (!isLocale(v)) throw new Error('--lang must be vi or en');
      args.lang = v;
    } else if (a === '--content') args.content = argv[++i] ?? 'content';
    else rest.push(a);
  }
  if (rest.length) args.text = rest.join(' ');
  return args;
}

/** One output line for one input line; never throws. */
export function assessLine(checker: OfferChecker, line: string): string {
  let id: unknown;
  try {
    const obj = JSON.parse(line) as unknown;
    if (typeof obj !== 'object' || obj === null) throw new Error('line is not a JSON object');
    id = (obj as Record<string, unknown>)['id'];
    const text = (obj as Record<string, unknown>)['text'];
    if (typeof text !== 'string') throw new Error('"text" must be a string');
    const a = checker.check(text);
    // The same reading the bot makes: unclear words inside an offer belong to the offer.
    const distress = distressBesideOffer(detectDistress(text), a.isOffer);
    return JSON.stringify({
      id,
      offer: {
        isOffer: a.isOffer,
        level: a.level,
        score: a.score,
        flags: a.flags.map((f) => ({ id: f.id, evidence: f.evidence })),
      },
      distress: { level: distress.level, signals: distress.signals },
    });
  } catch (err) {
    return JSON.stringify({ ...(id !== undefined ? { id } : {}), error: (err as Error).message });
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const content = await loadOfferContent(args.content);
  const checker = createOfferChecker(content.catalogue, content.rates);
  // --llm: the second opinion (OPENAI_*), which can only raise the level.
  const llm = args.llm ? await import('./assess-llm.js') : undefined;
  const opinion = llm?.secondOpinionFromEnv(content.catalogue);
  if (args.jsonl) {
    const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of rl) {
      if (line.trim() === '') continue;
      const out = assessLine(checker, line);
      process.stdout.write(`${llm && opinion ? await llm.withSecondOpinion(out, line, opinion) : out}\n`);
    }
    return;
  }
  if (args.text === undefined) {
    process.stderr.write('usage: assess --jsonl < in.jsonl | assess "text" [--lang vi|en] [--long]\n');
    process.exitCode = 2;
    return;
  }
  const a = checker.check(args.text, args.lang);
  const distress = distressBesideOffer(detectDistress(args.text), a.isOffer);
  if (distress.level !== 'none') {
    process.stdout.write(`distress: ${distress.level} (${distress.signals.join(', ')})\n\n`);
  }
  process.stdout.write(
    `${explainOffer(a, content.catalogue, content.answers, args.lang, { long: args.long })}\n`,
  );
  if (llm && opinion)
    process.stdout.write(`${await llm.describeSecondOpinion(checker, opinion, args.text, args.lang)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`assess: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
