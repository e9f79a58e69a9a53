import { readFileSync } from 'node:fs';
import { loadOfferContent } from './src/content/offer-flags.js';
import { createOfferChecker } from './src/core/offers/check.js';
import { LEXICON } from './src/core/offers/lexicon.js';
import { createSegmenter, normalise } from './src/core/offers/normalise.js';
import { compilePhrases } from './src/core/offers/phrase-matcher.js';
const rows = readFileSync('test/corpus/offers/corpus.jsonl','utf8').split('\n').filter(Boolean).map(l=>JSON.parse(l).text);
const input: string[] = []; for (let s=0;s<rows.length;s++){let t='';for(let k=s;t.length<1000;k=(k+1)%rows.length)t+=rows[k]+'\n';input.push(t)}
const c = await loadOfferContent('content'); const ch = createOfferChecker(c.catalogue, c.rates);
const m = compilePhrases(LEXICON); const seg = createSegmenter(m.vocabulary());
const ns = input.map(t=>normalise(t,seg));
function bench(name: string, fn: (i:number)=>unknown){ for(let i=0;i<2000;i++)fn(i); const c0=process.cpuUsage(); const t0=performance.now(); let n=0; while(performance.now()-t0<1500){for(let i=0;i<50;i++){fn(n);n++}} const cu=process.cpuUsage(c0); console.log(name, Math.round(n/((cu.user+cu.system)/1e6)));}
bench('loop', i=>{const t=input[i%input.length]!;let x=0;for(let k=0;k<t.length;k++)x+=t.charCodeAt(k);return x});
bench('normalise', i=>normalise(input[i%input.length]!,seg));
bench('match', i=>m.match(ns[i%ns.length]!));
bench('check', i=>ch.check(input[i%input.length]!));
