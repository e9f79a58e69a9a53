import { bareJsonEndpoint, compareThroughput } from './_load.js';
import { startBenchServer } from './_server.js';
import type { BenchResult } from './types.js';

const SECRET = 'bench_secret_0123456789';

/**
 * Issue 11, figure 1: Telegram webhook acks per second (secret check, validation, dedupe, inbox
 * write to Redis) as a ratio to a bare Fastify JSON endpoint measured in the same run.
 */
export async function run(): Promise<BenchResult[]> {
  const bare = await bareJsonEndpoint();
  const bench = await startBenchServer({
    ROLE: 'web',
    TELEGRAM_BOT_TOKEN: '123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
  });
  const offset = Date.now();
  try {
    const result = await compareThroughput({
      baseline: { url: bare.url, body: (n) => ({ update_id: n, message: { text: 'hi' } }) },
      subject: {
        url: `${bench.url}/webhooks/telegram`,
        headers: { 'x-telegram-bot-api-secret-token': SECRET },
        // Every update is new (update_id counts up across rounds): each one is stored, none deduped.
        body: (n) => ({
          update_id: offset + n,
          message: {
            message_id: n,
            date: Math.floor(Date.now() / 1000),
            chat: { id: 1000 + (n % 500), type: 'private' },
            from: { id: 1000 + (n % 500), is_bot: false, first_name: 'Lan' },
            text: 'Xin chào, mình muốn hỏi về một tin tuyển dụng',
          },
        }),
      },
    });
    // Proof that every acknowledged update was stored: the inbox stream holds an entry per 200
    // (a few more: requests in flight when a round ends are stored but not counted by autocannon).
    const stored = (await bench.server.container.inboxQueue.depth()).waiting;
    const storage =
      stored >= result.subjectOk
        ? `every ack stored (${stored} entries, ${result.subjectOk} acks)`
        : `MISSING: ${stored} entries for ${result.subjectOk} acks`;
    return [
      {
        name: 'Telegram webhook ack (to Redis inbox)',
        value: result.subject,
        unit: 'req/s',
        baseline: { name: 'bare Fastify JSON', value: result.baseline },
        ratio: result.ratio,
        target: 'ratio >= 0.5',
        note: `${storage}, rounds ${result.rounds.map((r) => r.toFixed(2)).join('/')}, p99 ${result.subjectP99Ms} ms, non-2xx ${result.subjectNon2xx}, errors ${result.subjectErrors}`,
      },
    ];
  } finally {
    await bare.close();
    await bench.close();
  }
}
