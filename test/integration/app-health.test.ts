import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('health, readiness and metrics', () => {
  it('is healthy and ready on the memory store', async () => {
    t = await startTestServer();
    const health = await t.server.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await t.server.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { store: 'memory' } });
  });

  it('is ready when Redis answers', async () => {
    t = await startTestServer({ redis: true });
    const ready = await t.server.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.json()).toEqual({ status: 'ready', checks: { redis: 'ok' } });
  });

  it('is alive but not ready when the configured Redis does not answer', async () => {
    t = await startTestServer({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    expect((await t.server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await t.server.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'not ready', checks: { redis: 'unreachable' } });
  });

  it('exposes request counts and latencies, inbox depth and outbox retries in Prometheus text', async () => {
    t = await startTestServer({ redis: true });
    await t.server.app.inject({ method: 'GET', url: '/healthz' });
    const metrics = await t.server.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('http_requests_total{method="GET",route="/healthz",status="200"} 1');
    expect(metrics.body).toContain('http_request_duration_seconds_bucket');
    expect(metrics.body).toMatch(/inbox_depth\{state="waiting"\} 0/);
    expect(metrics.body).toContain('# TYPE outbox_retries_total counter');
  });

  it('answers unknown routes and bad bodies with a precise 4xx', async () => {
    t = await startTestServer();
    const missing = await t.server.app.inject({ method: 'GET', url: '/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
    const badJson = await t.server.app.inject({
      method: 'POST',
      url: '/chat/api/messages',
      headers: { 'content-type': 'application/json' },
      payload: '{"session":',
    });
    expect(badJson.statusCode).toBe(400);
    const huge = await t.server.app.inject({
      method: 'POST',
      url: '/chat/api/messages',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ session: 'x'.repeat(22), id: 'a', text: 'x'.repeat(40_000) }),
    });
    expect(huge.statusCode).toBe(413);
  });

  it('asks for the scrape token on /metrics when METRICS_TOKEN is set', async () => {
    const token = 'metrics-scrape-token-0123456789';
    t = await startTestServer({ env: { METRICS_TOKEN: token } });
    const get = (authorization?: string) =>
      t!.server.app.inject({
        method: 'GET',
        url: '/metrics',
        ...(authorization ? { headers: { authorization } } : {}),
      });
    const none = await get();
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({
      error: { code: 'UNAUTHORIZED', message: 'Metrics need the scrape token.' },
    });
    expect((await get('Bearer wrong-token-0123456789')).statusCode).toBe(401);
    expect((await get(token)).statusCode).toBe(401);
    const ok = await get(`Bearer ${token}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('http_requests_total');
    expect((await t.server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('serves /metrics to anyone in production only when METRICS_ACCESS=public says so', async () => {
    t = await startTestServer({ redis: true, env: { NODE_ENV: 'production', METRICS_ACCESS: 'public' } });
    const open = await t.server.app.inject({ method: 'GET', url: '/metrics' });
    expect(open.statusCode).toBe(200);
    expect(open.body).toContain('http_requests_total');
  });

  it('has no /metrics at all with METRICS_ACCESS=off', async () => {
    t = await startTestServer({ redis: true, env: { NODE_ENV: 'production', METRICS_ACCESS: 'off' } });
    const gone = await t.server.app.inject({ method: 'GET', url: '/metrics' });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('NOT_FOUND');
    expect((await t.server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
