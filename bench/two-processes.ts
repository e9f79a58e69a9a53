import { availableParallelism } from 'node:os';
import { connectRedis } from '../src/adapters/redis/redis-client.js';
import { offerTexts } from './_offer-texts.js';
import { benchRedisUrl } from './_server.js';
import { BenchApps, BenchBotApi, cpuSeconds, postUpdate, textUpdate } from './_telegram.js';
import type { BenchResult } from './types.js';

const WARMUP_SECONDS = 2;
const SECONDS = 8;
/** Offers posted but not yet answered: enough to keep every worker busy, bounded so Redis stays small. */
const BACKLOG = 300;

/**
 * Offers answered per second by `count` app processes (the built server, ROLE=all) sharing one
 * Redis prefix, the inbox kept full: each ~1 KB offer comes from a new chat through the Telegram
 * webhook (posted round robin over the processes), and counts once the fake Bot API has the first
 * reply for its chat. Measured over SECONDS after a warm-up, as offers answered in that window.
 */
async function measure(count: number, texts: string[], chatBase: number) {
  const botApi = await new BenchBotApi().start();
  const apps = new BenchApps(botApi);
  try {
    const procs = await Promise.all(Array.from({ length: count }, () => apps.start({ ROLE: 'all' })));
    let posted = 0;
    let failed = 0;
    let stop = false;
    const answered = () => botApi.firstReply.size;
    // Feeders: keep BACKLOG offers outstanding, spread over the processes' webhooks.
    const feed = async () => {
      while (!stop) {
        if (posted - answered() >= BACKLOG) {
          await botApi.waitUntil(() => stop || posted - answered() < BACKLOG, 200);
          continue;
        }
        const i = posted++;
        const app = procs[i % procs.length]!;
        const status = await postUpdate(
          app.url,
          textUpdate(chatBase + i, chatBase + i, texts[i % texts.length]!),
        );
        if (status !== 200) failed += 1;
      }
    };
    // Several posters at once so that the webhooks are not the limit.
    const feeders = Array.from({ length: 8 }, feed);
    await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000));
    const startAnswered = answered();
    const startSends = botApi.sendMessages;
    const startCpu = procs.reduce((sum, p) => sum + cpuSeconds(p.child.pid), 0);
    const startRedisCpu = await redisCpuSeconds();
    const startOwnCpu = process.cpuUsage();
    const started = performance.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const seconds = (performance.now() - started) / 1000;
    const done = answered() - startAnswered;
    const sends = botApi.sendMessages - startSends;
    const cpu = procs.reduce((sum, p) => sum + cpuSeconds(p.child.pid), 0) - startCpu;
    const redisCpu = (await redisCpuSeconds()) - startRedisCpu;
    const own = process.cpuUsage(startOwnCpu);
    const ownCpu = (own.user + own.system) / 1e6;
    stop = true;
    await Promise.all(feeders);
    return {
      perSecond: done / seconds,
      sendsPerSecond: sends / seconds,
      cpuMsPerOffer: (cpu * 1000) / done,
      // Cores busy on average: the app processes, Redis (all its clients) and this process.
      cores: { apps: cpu / seconds, redis: redisCpu / seconds, bench: ownCpu / seconds },
      failed,
    };
  } finally {
    await apps.close();
    await botApi.close();
  }
}

/**
 * Issue 11, figure 6: the worker-bound path (offer checks of ~1 KB texts through the Telegram
 * webhook) on one app process, then on two sharing one Redis. On two cores the ratio should be
 * near 2 when nothing else runs; Redis, this process (feeder and fake Bot API) and any neighbour
 * share the same cores, so a busy machine shows less.
 */
export async function run(): Promise<BenchResult[]> {
  const texts = offerTexts();
  const base = 3_000_000_000 + (Date.now() % 100_000_000);
  const one = await measure(1, texts, base);
  const two = await measure(2, texts, base + 500_000_000);
  const note = (r: typeof one) =>
    `${r.sendsPerSecond.toFixed(0)} sendMessage/s, app CPU ${r.cpuMsPerOffer.toFixed(2)} ms/offer, ` +
    `cores busy: apps ${r.cores.apps.toFixed(2)}, Redis ${r.cores.redis.toFixed(2)}, bench ${r.cores.bench.toFixed(2)} of ${availableParallelism()}, ` +
    `webhook non-200 ${r.failed}`;
  return [
    {
      name: 'offers answered/s, 1 process',
      value: one.perSecond,
      unit: 'offers/s',
      note: note(one),
    },
    {
      name: 'offers answered/s, 2 processes',
      value: two.perSecond,
      unit: 'offers/s',
      baseline: { name: '1 process', value: one.perSecond },
      ratio: two.perSecond / one.perSecond,
      target: 'ratio ~2 on 2 idle cores',
      note: note(two),
    },
  ];
}

/** CPU seconds the Redis server has used (INFO cpu): all its clients, so neighbours count too. */
async function redisCpuSeconds(): Promise<number> {
  const redis = connectRedis(benchRedisUrl());
  try {
    const info = await (redis as import('ioredis').Redis).info('cpu');
    const field = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? Number.NaN);
    return field('used_cpu_user') + field('used_cpu_sys');
  } finally {
    redis.disconnect();
  }
}
