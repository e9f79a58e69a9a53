import autocannon from 'autocannon';
import Fastify from 'fastify';

/** Requests per second that a POST endpoint sustains for `seconds`, with a fresh body per request. */
export async function postThroughput(options: {
  url: string;
  headers?: Record<string, string>;
  body: (n: number) => unknown;
  seconds?: number;
  connections?: number;
}): Promise<{ rps: number; errors: number; non2xx: number; ok: number; p99Ms: number }> {
  let n = 0;
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    connections: options.connections ?? 20,
    duration: options.seconds ?? 4,
    headers: { 'content-type': 'application/json', ...options.headers },
    requests: [
      {
        setupRequest: (request) => {
          n += 1;
          return { ...request, body: JSON.stringify(options.body(n)) };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    errors: result.errors,
    non2xx: result.non2xx,
    ok: result['2xx'],
    p99Ms: result.latency.p99,
  };
}

type Target = Omit<Parameters<typeof postThroughput>[0], 'seconds'>;

/**
 * Throughput of `subject` against `baseline` on a busy machine: both warmed up, then measured in
 * alternating rounds (baseline, subject, baseline, subject...) so that a change in background load
 * weighs on both sides alike. Figures are averages over the rounds; the ratio is of those averages.
 */
export async function compareThroughput(options: {
  baseline: Target;
  subject: Target;
  rounds?: number;
  seconds?: number;
  warmupSeconds?: number;
}): Promise<{
  baseline: number;
  subject: number;
  ratio: number;
  rounds: number[];
  subjectP99Ms: number;
  subjectNon2xx: number;
  subjectErrors: number;
  /** Requests the subject answered 2xx, warm-up included. */
  subjectOk: number;
}> {
  const rounds = options.rounds ?? 3;
  const seconds = options.seconds ?? 3;
  const warmup = options.warmupSeconds ?? 1;
  // One body counter per side across warm-up and rounds, so that bodies never repeat.
  const counted = (target: Target): Target => {
    let k = 0;
    return { ...target, body: () => target.body(++k) };
  };
  const baseline = counted(options.baseline);
  const subjectTarget = counted(options.subject);
  await postThroughput({ ...baseline, seconds: warmup });
  let ok = (await postThroughput({ ...subjectTarget, seconds: warmup })).ok;
  const base: number[] = [];
  const subject: number[] = [];
  let p99 = 0;
  let non2xx = 0;
  let errors = 0;
  for (let i = 0; i < rounds; i++) {
    base.push((await postThroughput({ ...baseline, seconds })).rps);
    const s = await postThroughput({ ...subjectTarget, seconds });
    subject.push(s.rps);
    p99 = Math.max(p99, s.p99Ms);
    non2xx += s.non2xx;
    errors += s.errors;
    ok += s.ok;
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    baseline: mean(base),
    subject: mean(subject),
    ratio: mean(subject) / mean(base),
    rounds: subject.map((v, i) => v / base[i]!),
    subjectP99Ms: p99,
    subjectNon2xx: non2xx,
    subjectErrors: errors,
    subjectOk: ok,
  };
}

/** The baseline: a bare Fastify app that parses a JSON body and answers, nothing else. */
export async function bareJsonEndpoint(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = Fastify({ logger: false });
  app.post('/bare', async (request) => ({ ok: typeof request.body === 'object' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/bare`, close: () => app.close() };
}
