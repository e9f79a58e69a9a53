import { bareJsonEndpoint, postThroughput } from './_load.js';
import { startBenchServer } from './_server.js';
import type { BenchResult } from './types.js';

/**
 * Web chat message intake (validation, per-session rate limit, dedupe, inbox write to Redis)
 * against a bare Fastify JSON endpoint measured in the same run.
 */
export async function run(): Promise<BenchResult[]> {
  const bare = await bareJsonEndpoint();
  const baseline = await postThroughput({ url: bare.url, body: (n) => ({ n, text: 'hello' }) });
  await bare.close();

  const bench = await startBenchServer({ ROLE: 'web' });
  const sessions = Array.from({ length: 200 }, (_, i) => `benchsession${String(i).padStart(12, '0')}`);
  const intake = await postThroughput({
    url: `${bench.url}/chat/api/messages`,
    body: (n) => ({
      session: sessions[n % sessions.length],
      id: `b${n}`,
      text: 'Xin chào, mình muốn hỏi về việc làm',
    }),
  });
  await bench.close();
  return [
    {
      name: 'web chat intake (to Redis inbox)',
      value: intake.rps,
      unit: 'req/s',
      baseline: { name: 'bare Fastify JSON', value: baseline.rps },
      ratio: intake.rps / baseline.rps,
      note: `p99 ${intake.p99Ms} ms, non-2xx ${intake.non2xx}, errors ${intake.errors}`,
    },
  ];
}
