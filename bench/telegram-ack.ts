import { bareJsonEndpoint, postThroughput } from './_load.js';
import { startBenchServer } from './_server.js';
import type { BenchResult } from './types.js';

const SECRET = 'bench_secret_0123456789';

/**
 * Issue 11, figure 1: Telegram webhook acks per second (secret check, validation, dedupe, inbox
 * write to Redis) as a ratio to a bare Fastify JSON endpoint measured in the same run.
 */
export async function run(): Promise<BenchResult[]> {
  const bare = await bareJsonEndpoint();
  const baseline = await postThroughput({
    url: bare.url,
    body: (n) => ({ update_id: n, message: { text: 'hi' } }),
  });
  await bare.close();

  const bench = await startBenchServer({
    ROLE: 'web',
    TELEGRAM_BOT_TOKEN: '123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
  });
  const offset = Date.now();
  const ack = await postThroughput({
    url: `${bench.url}/webhooks/telegram`,
    headers: { 'x-telegram-bot-api-secret-token': SECRET },
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
  });
  await bench.close();
  return [
    {
      name: 'Telegram webhook ack (to Redis inbox)',
      value: ack.rps,
      unit: 'req/s',
      baseline: { name: 'bare Fastify JSON', value: baseline.rps },
      ratio: ack.rps / baseline.rps,
      target: 'ratio >= 0.5',
      note: `p99 ${ack.p99Ms} ms, non-2xx ${ack.non2xx}, errors ${ack.errors}`,
    },
  ];
}
