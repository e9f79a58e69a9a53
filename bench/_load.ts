import autocannon from 'autocannon';
import Fastify from 'fastify';

/** Requests per second that a POST endpoint sustains for `seconds`, with a fresh body per request. */
export async function postThroughput(options: {
  url: string;
  headers?: Record<string, string>;
  body: (n: number) => unknown;
  seconds?: number;
  connections?: number;
}): Promise<{ rps: number; errors: number; non2xx: number; p99Ms: number }> {
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
    p99Ms: result.latency.p99,
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
