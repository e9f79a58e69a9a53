/** Runs every evaluation module, prints its lines, exits 1 if any reports a failure. */
import { run as distress } from '../eval/distress.js';
import { run as offerMemory } from '../eval/offer-memory.js';
import { run as offers } from '../eval/offers.js';
import type { EvalReport } from '../eval/types.js';

const MODULES: { name: string; run: () => Promise<EvalReport> }[] = [
  { name: 'offers', run: offers },
  { name: 'distress', run: distress },
  { name: 'offer-memory', run: offerMemory },
];

async function main(): Promise<void> {
  let failed = 0;
  for (const m of MODULES) {
    let report: EvalReport;
    try {
      report = await m.run();
    } catch (err) {
      report = { name: m.name, lines: [], failures: [`crashed: ${(err as Error).message}`] };
    }
    process.stdout.write(`== ${report.name}\n`);
    for (const l of report.lines) process.stdout.write(`${l}\n`);
    for (const f of report.failures) process.stdout.write(`FAIL ${report.name}: ${f}\n`);
    failed += report.failures.length;
  }
  process.stdout.write(failed ? `${failed} failure(s)\n` : 'all evaluations passed\n');
  process.exitCode = failed ? 1 : 0;
}

void main();
