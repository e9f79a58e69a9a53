import { readFileSync } from 'node:fs';

/**
 * One text per corpus row, each about `targetChars` long, made by joining that row with the ones
 * after it: the mix of styles matches what the checker sees, at the size the targets name.
 */
export function offerTexts(targetChars = 1000): string[] {
  const rows = readFileSync('test/corpus/offers/corpus.jsonl', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const out: string[] = [];
  for (let start = 0; start < rows.length; start++) {
    let t = '';
    for (let k = start; t.length < targetChars; k = (k + 1) % rows.length) t += `${rows[k]}\n`;
    out.push(t.slice(0, targetChars + 200));
  }
  return out;
}
