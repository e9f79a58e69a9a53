import { readFileSync } from 'node:fs';
import { loadOfferContent } from './src/content/offer-flags.js';
import { createOfferChecker } from './src/core/offers/check.js';
const rows = readFileSync('test/corpus/offers/corpus.jsonl','utf8').split('\n').filter(Boolean).map(l=>JSON.parse(l).text);
const input: string[] = []; for (let s=0;s<rows.length;s++){let t='';for(let k=s;t.length<1000;k=(k+1)%rows.length)t+=rows[k]+'\n';input.push(t)}
const c = await loadOfferContent('content'); const ch = createOfferChecker(c.catalogue, c.rates);
const t0=performance.now(); let n=0; while(performance.now()-t0<4000){for(let i=0;i<50;i++){ch.check(input[n%input.length]!);n++}}
console.log(n);
