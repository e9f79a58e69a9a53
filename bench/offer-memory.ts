import { readFileSync } from 'node:fs';
import { MemoryOfferMemory } from '../src/adapters/memory/memory-offer-memory.js';
import { fingerprint, MATCH_THRESHOLD } from '../src/core/offers/fingerprint.js';
import type { BenchResult } from './types.js';

/** Fingerprinting and recording speed of the offer memory, on the edit-pair corpus texts. */
export async function run(): Promise<BenchResult[]> {
  const texts = readFileSync('test/corpus/offer-pairs.jsonl', 'utf8')
    .trim()
    .split('\n')
    .flatMap((l) => {
      const p = JSON.parse(l) as { a: string; b: string };
      return [p.a, p.b];
    });
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 1000) {
    fingerprint(texts[n % texts.length] as string);
    n++;
  }
  const fpPerSecond = n / ((performance.now() - start) / 1000);

  const memory = new MemoryOfferMemory();
  const prints = texts.map((t) => fingerprint(t)).filter((f) => f !== undefined);
  let r = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1000) {
    const f = prints[r % prints.length]!;
    await memory.record(
      { ...f, level: 'high', flagIds: [], contacts: [], forwarder: 'f', at: r, day: '2026-11-28' },
      MATCH_THRESHOLD,
    );
    r++;
  }
  const recordPerSecond = r / ((performance.now() - t0) / 1000);
  return [
    {
      name: 'offer fingerprint (MinHash 64, word pairs)',
      value: Math.round(fpPerSecond),
      unit: 'texts/s',
      target: '>= 1000 texts/s',
    },
    { name: 'offer memory record (memory adapter)', value: Math.round(recordPerSecond), unit: 'records/s' },
  ];
}
