/**
 * Runs every benchmark module in bench/ (each exports `run(): Promise<BenchResult[]>`), prints a
 * table and writes the figures to bench/results/latest.json. Each module measures its own
 * baseline in the same run, so ratios compare like with like on this machine.
 *   npm run bench [-- name-filter]
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'types.ts'].includes(f) && !f.startsWith('_'))
  .filter((f) => !filter || f.includes(filter))
  .sort();

const all: Array<BenchResult & { module: string }> = [];
for (const file of modules) {
  const name = file.replace(/\.ts$/, '');
  process.stdout.write(`running ${name}...\n`);
  const started = Date.now();
  try {
    const mod = (await import(join(here, file))) as { run: () => Promise<BenchResult[]> };
    for (const result of await mod.run()) all.push({ module: name, ...result });
  } catch (error) {
    all.push({ module: name, name: 'failed', value: Number.NaN, unit: '', note: (error as Error).message });
  }
  process.stdout.write(`  ${name} took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

const fmt = (n: number) =>
  Number.isFinite(n) ? (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2)) : 'n/a';
const rows = all.map((r) => [
  r.module,
  r.name,
  `${fmt(r.value)} ${r.unit}`.trim(),
  r.baseline ? `${r.baseline.name}: ${fmt(r.baseline.value)}` : '',
  r.ratio !== undefined ? fmt(r.ratio) : '',
  r.target ?? '',
  r.note ?? '',
]);
const header = ['module', 'figure', 'value', 'baseline (same run)', 'ratio', 'target', 'note'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
process.stdout.write(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n`);
for (const row of rows) process.stdout.write(`${line(row)}\n`);

const out = join(here, 'results');
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, 'latest.json'),
  `${JSON.stringify({ at: new Date().toISOString(), node: process.version, results: all }, null, 2)}\n`,
);
process.stdout.write(`\nwritten to bench/results/latest.json\n`);
