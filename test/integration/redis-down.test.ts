import { afterEach, describe, expect, it } from 'vitest';
import { OwnRedis } from '../support/redis-server.js';
import { eventually, startTestServer, type TestServer } from '../support/test-server.js';

let t: TestServer | undefined;
let redis: OwnRedis | undefined;
afterEach(async () => {
  await t?.close().catch(() => undefined);
  await redis?.destroy();
  t = undefined;
});

describe('Redis down', () => {
  it('still gives the safety reply at once, and the case is written as soon as Redis is back', async () => {
    redis = new OwnRedis();
    await redis.start();
    t = await startTestServer({ env: { REDIS_URL: redis.url } });
    t.server.startWorkers();
    const app = t.server.app;
    const session = (
      (await app.inject({ method: 'POST', url: '/chat/api/session' })).json() as { session: string }
    ).session;
    const message = {
      session,
      id: 'm-1',
      text: 'cứu tôi, tôi bị nhốt ở Campuchia, họ đánh tôi mỗi ngày',
      lang: 'vi',
    };

    await redis.stop();
    const down = await app.inject({ method: 'POST', url: '/chat/api/messages', payload: message });
    expect(down.statusCode).toBe(503);
    const body = down.json() as { error: { code: string }; safety?: { text: string } };
    expect(body.error.code).toBe('STORE_UNAVAILABLE');
    expect(body.safety?.text).toContain('+84 981 84 84 84');
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);

    await redis.start();
    // The page retries the same message id until it is stored.
    const stored = await eventually(async () => {
      const res = await app.inject({ method: 'POST', url: '/chat/api/messages', payload: message });
      return res.statusCode === 202 ? res : undefined;
    }, 15_000);
    expect(stored.json()).toEqual({ status: 'stored' });
    const waiting = await eventually(async () => {
      const list = await t!.server.container.cases.list('waiting');
      return list.length > 0 ? list : undefined;
    }, 15_000);
    expect(waiting[0]!.level).toBe('imminent');
  }, 60_000);
});
