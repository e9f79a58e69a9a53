import { BenchApps, BenchBotApi, cpuSeconds, quantile, sendAtFixedRate, textUpdate } from './_telegram.js';
import type { BenchResult } from './types.js';

const RATE = 500;
const WARMUP_SECONDS = 2;
const SECONDS = 10;
/** Longest wait for the replies after the last update was sent (keeps the bench under a minute). */
const DRAIN_MS = 10_000;

/**
 * Issue 11, figure 2: latency from the Telegram webhook to the reply reaching the Bot API, at a
 * fixed rate of 500 messages/s, with real Redis. One app process (the built server, ROLE=all:
 * webhook, worker and outbox sender) and a fake Bot API in this process. Every message is "/start"
 * from a chat of its own, which gets one welcome reply; the latency of a message is from the
 * moment its update was posted to the moment the fake received the first sendMessage for its chat
 * (both on this process' clock). The sender is open loop, so queueing in the app shows up.
 */
export async function run(): Promise<BenchResult[]> {
  const botApi = await new BenchBotApi().start();
  const apps = new BenchApps(botApi);
  try {
    const app = await apps.start({ ROLE: 'all' });
    const base = Date.now() % 1_000_000_000;
    const sentAt = new Map<number, number>();

    // Warm-up (JIT, Redis scripts, connections): chats of their own, not measured.
    const warmChat = 1_000_000_000 + base;
    await sendAtFixedRate({
      rate: RATE,
      seconds: WARMUP_SECONDS,
      make: (i) => ({ url: app.url, body: textUpdate(base + i, warmChat + i, '/start') }),
    });
    const warmTotal = RATE * WARMUP_SECONDS;
    await botApi.waitUntil(() => botApi.firstReply.size >= warmTotal, DRAIN_MS / 2);

    const chat0 = 2_000_000_000 + base;
    const cpuBefore = cpuSeconds(app.child.pid);
    const load = await sendAtFixedRate({
      rate: RATE,
      seconds: SECONDS,
      make: (i) => ({ url: app.url, body: textUpdate(base + warmTotal + i, chat0 + i, '/start') }),
      onSent: (i, at) => sentAt.set(chat0 + i, at),
    });
    // Every chat is new, so the number of chats answered counts the replies.
    await botApi.waitUntil(() => botApi.firstReply.size >= warmTotal + load.sent, DRAIN_MS);

    const cpuMsPerMessage = ((cpuSeconds(app.child.pid) - cpuBefore) * 1000) / load.sent;
    const latencies: number[] = [];
    for (const [chat, at] of sentAt) {
      const replied = botApi.firstReply.get(chat);
      if (replied !== undefined) latencies.push(replied - at);
    }
    const missing = load.sent - latencies.length;
    const p50 = quantile(latencies, 0.5);
    const p99 = quantile(latencies, 0.99);
    const achieved = load.sent / load.seconds;
    const note = [
      `p50 ${p50.toFixed(1)} ms`,
      `max ${Math.max(...latencies).toFixed(0)} ms`,
      `${load.sent} sent at ${achieved.toFixed(0)}/s`,
      `missing replies ${missing}`,
      `webhook non-200 ${load.failed}`,
      `sender lag max ${load.maxLagMs.toFixed(0)} ms`,
      `app CPU ${cpuMsPerMessage.toFixed(2)} ms/message`,
    ].join(', ');
    return [
      {
        name: `webhook to Bot API reply at ${RATE}/s, p99`,
        value: p99,
        unit: 'ms',
        target: 'p99 <= 50 ms, 0 missing',
        note,
      },
      {
        name: `webhook to Bot API reply at ${RATE}/s, p50`,
        value: p50,
        unit: 'ms',
        note: `achieved ${achieved.toFixed(0)} msg/s over ${load.seconds.toFixed(1)} s`,
      },
      {
        name: 'replies missing',
        value: missing,
        unit: 'replies',
        target: '0',
      },
    ];
  } finally {
    await apps.close();
    await botApi.close();
  }
}
