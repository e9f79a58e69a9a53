import { createKeys } from '../src/adapters/redis/keys.js';
import { connectRedis } from '../src/adapters/redis/redis-client.js';
import { benchRedisUrl } from './_server.js';
import { BenchApps, BenchBotApi, cpuSeconds, quantile, sendAtFixedRate, textUpdate } from './_telegram.js';
import type { BenchResult } from './types.js';

const RATE = 500;
const WARMUP_SECONDS = 1;
const SECONDS = 10;
const REFERENCE_RATE = 100;
const REFERENCE_SECONDS = 3;
/** Longest wait for the replies after the last update was sent (keeps the bench under a minute). */
const DRAIN_MS = 10_000;

/**
 * Issue 11, figure 2: latency from the Telegram webhook to the reply reaching the Bot API, at a
 * fixed rate of 500 messages/s, with real Redis. One app process (the built server, ROLE=all:
 * webhook, worker and outbox sender) and a fake Bot API in this process; then the same load
 * posted round robin to two app processes sharing one Redis prefix. Every message is "/start"
 * from a chat of its own, which gets one welcome reply; the latency of a message is from the
 * moment its update was posted to the moment the fake received the first sendMessage for its chat
 * (both on this process' clock). The sender is open loop, so queueing in the app shows up.
 */
export async function run(): Promise<BenchResult[]> {
  const botApi = await new BenchBotApi().start();
  const apps = new BenchApps(botApi);
  try {
    const first = await apps.start({ ROLE: 'all' });
    let running = [first];
    let nextUpdate = Date.now() % 1_000_000_000;
    let nextChat = 2_000_000_000 + nextUpdate;

    /** `rate` messages/s for `seconds`, each from a new chat; waits up to `drainMs` for the replies. */
    const phase = async (rate: number, seconds: number, drainMs: number) => {
      const firstUpdate = nextUpdate;
      const firstChat = nextChat;
      const total = Math.round(rate * seconds);
      nextUpdate += total;
      nextChat += total;
      const sentAt = new Map<number, number>();
      const answeredBefore = botApi.firstReply.size;
      const targets = running;
      const cpuOf = () => targets.reduce((sum, app) => sum + cpuSeconds(app.child.pid), 0);
      const cpuBefore = cpuOf();
      const load = await sendAtFixedRate({
        rate,
        seconds,
        // Round robin over the app processes' webhooks.
        make: (i) => ({
          url: targets[i % targets.length]!.url,
          body: textUpdate(firstUpdate + i, firstChat + i, '/start'),
        }),
        onSent: (i, at) => sentAt.set(firstChat + i, at),
      });
      // Every chat is new, so the number of chats answered counts the replies.
      await botApi.waitUntil(() => botApi.firstReply.size >= answeredBefore + load.sent, drainMs);
      const cpuMsPerMessage = ((cpuOf() - cpuBefore) * 1000) / load.sent;
      // A reply not in by the end of the wait counts with the time waited so far: the quantiles
      // are then lower bounds, and the note says so.
      const waitedUntil = performance.now();
      const latencies: number[] = [];
      let missing = 0;
      for (const [chat, at] of sentAt) {
        const replied = botApi.firstReply.get(chat);
        if (replied === undefined) missing += 1;
        latencies.push((replied ?? waitedUntil) - at);
      }
      // Late, not lost: what the app still holds in its queues when the wait ends.
      const queued = missing > 0 ? await queuedEntries(apps.prefix) : 0;
      const achieved = load.sent / load.seconds;
      const note = [
        `p50 ${quantile(latencies, 0.5).toFixed(1)} ms`,
        `max ${Math.max(...latencies).toFixed(0)} ms`,
        `${load.sent} sent at ${achieved.toFixed(0)}/s`,
        missing > 0
          ? `${missing} replies not in ${drainMs / 1000} s after the last send (counted as the time waited: p50/p99 are lower bounds; ${queued} entries still queued in Redis)`
          : 'every reply in',
        `webhook non-200 ${load.failed}`,
        `sender lag max ${load.maxLagMs.toFixed(0)} ms`,
        `app CPU ${cpuMsPerMessage.toFixed(2)} ms/message`,
      ].join(', ');
      return {
        p50: quantile(latencies, 0.5),
        p99: quantile(latencies, 0.99),
        achieved,
        seconds: load.seconds,
        missing,
        note,
      };
    };

    // Warm-up (JIT, Redis scripts, connections), not measured.
    await phase(RATE, WARMUP_SECONDS, DRAIN_MS / 2);
    // For reference: the same path well below saturation (what one message costs in time).
    const light = await phase(REFERENCE_RATE, REFERENCE_SECONDS, DRAIN_MS / 2);
    const full = await phase(RATE, SECONDS, DRAIN_MS);
    // The same load spread over two app processes sharing the Redis prefix (figure 6's setup).
    running = [first, await apps.start({ ROLE: 'all' })];
    await phase(RATE, WARMUP_SECONDS, DRAIN_MS / 2);
    const two = await phase(RATE, SECONDS, DRAIN_MS);
    return [
      {
        name: `webhook to Bot API reply at ${RATE}/s, p99`,
        value: full.p99,
        unit: 'ms',
        target: 'p99 <= 50 ms, 0 missing',
        note: full.note,
      },
      {
        name: `webhook to Bot API reply at ${RATE}/s, p50`,
        value: full.p50,
        unit: 'ms',
        note: `achieved ${full.achieved.toFixed(0)} msg/s over ${full.seconds.toFixed(1)} s`,
      },
      {
        name: `replies not in ${DRAIN_MS / 1000} s after the last send`,
        value: full.missing,
        unit: 'replies',
        target: '0',
      },
      {
        name: `the same on two app processes, p99`,
        value: two.p99,
        unit: 'ms',
        target: 'p99 <= 50 ms, 0 missing',
        note: `${two.note}; ${two.missing} missing`,
      },
      {
        name: `(reference) the same at ${REFERENCE_RATE}/s, p99`,
        value: light.p99,
        unit: 'ms',
        note: light.note,
      },
    ];
  } finally {
    await apps.close();
    await botApi.close();
  }
}

/** Entries still in the app's inbox and Telegram outbox streams. */
async function queuedEntries(prefix: string): Promise<number> {
  const keys = createKeys(prefix);
  const redis = connectRedis(benchRedisUrl());
  try {
    const [inbox, outbox] = await Promise.all([
      redis.xlen(keys.stream('inbox')),
      redis.xlen(keys.stream('outbox:telegram')),
    ]);
    return inbox + outbox;
  } finally {
    redis.disconnect();
  }
}
