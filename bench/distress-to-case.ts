import { startBenchServer } from './_server.js';
import type { BenchResult } from './types.js';

const MESSAGES = 100;
const WARM_UP = 5;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

/**
 * Issue 8: from a distress message posted to the web chat until its case is readable over the
 * operator API. Each message is a new person; the case id comes from the console's event stream
 * (no text), then one API read confirms it is visible. Real Redis, workers running.
 */
export async function run(): Promise<BenchResult[]> {
  const bench = await startBenchServer();
  bench.server.startWorkers();
  const { container } = bench.server;
  const { secret } = await container.operators.add('bench', 'supervisor', Date.now());
  // The console's way in: one login, then the session cookie (Bearer would pay scrypt per request).
  const login = await fetch(`${bench.url}/api/operator/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', secret }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const created = new Map<string, (id: string) => void>();
  await container.events.subscribed();
  const unsubscribe = container.events.subscribe((event) => {
    if (event.type !== 'case_created' || !event.caseId) return;
    for (const [, resolve] of created) resolve(event.caseId);
  });
  const latencies: number[] = [];
  // The first few messages warm up the JIT and connections; they are not counted.
  for (let i = -WARM_UP; i < MESSAGES; i++) {
    const session = `benchdistress${String(i + WARM_UP).padStart(12, '0')}`;
    const started = performance.now();
    const caseId = new Promise<string>((resolve) => created.set(session, resolve));
    await fetch(`${bench.url}/chat/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        session,
        id: 'm1',
        text: 'cứu tôi, họ nhốt tôi ở Campuchia và lấy hộ chiếu',
        lang: 'vi',
      }),
    });
    const id = await caseId;
    created.delete(session);
    const res = await fetch(`${bench.url}/api/operator/cases/${id}`, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`case not visible: ${res.status}`);
    if (i >= 0) latencies.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 50));
  }
  unsubscribe();
  await bench.close();
  return [
    {
      name: 'distress message to case visible over the API, p50',
      value: percentile(latencies, 0.5),
      unit: 'ms',
      note: `${MESSAGES} messages one at a time after ${WARM_UP} warm-up; console session cookie`,
    },
    {
      name: 'distress message to case visible over the API, p99',
      value: percentile(latencies, 0.99),
      unit: 'ms',
      target: '< 200 ms',
    },
  ];
}
