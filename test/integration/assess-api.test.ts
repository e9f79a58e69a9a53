import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const lure =
  'Tuyển gấp nữ 16-25 tuổi đi Campuchia làm CSKH, lương 1500 USD, bao vé, không cần kinh nghiệm, giữ hộ chiếu khi sang';

describe('POST /api/v1/assess', () => {
  it('needs a valid API key', async () => {
    t = await startTestServer({ redis: true, env: { ASSESS_API_KEYS: 'key-one,key-two' } });
    const none = await t.server.app.inject({
      method: 'POST',
      url: '/api/v1/assess',
      payload: { text: lure },
    });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('API_KEY_INVALID');
    const wrong = await t.server.app.inject({
      method: 'POST',
      url: '/api/v1/assess',
      headers: { authorization: 'Bearer key-three' },
      payload: { text: lure },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('says clearly when no key is configured', async () => {
    t = await startTestServer();
    const res = await t.server.app.inject({
      method: 'POST',
      url: '/api/v1/assess',
      headers: { 'x-api-key': 'x' },
      payload: { text: lure },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('API_KEY_REQUIRED');
  });

  it('returns the structured offer check and the distress level', async () => {
    t = await startTestServer({ redis: true, env: { ASSESS_API_KEYS: 'key-one,key-two' } });
    const res = await t.server.app.inject({
      method: 'POST',
      url: '/api/v1/assess',
      headers: { authorization: 'Bearer key-two' },
      payload: { text: lure, lang: 'vi' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.offer.isOffer).toBe(true);
    expect(body.offer.level).toBe('high');
    expect(body.offer.flags.map((f: { id: string }) => f.id)).toContain('documents_taken');
    expect(body.distress.level).toBe('none');
    const help = await t.server.app.inject({
      method: 'POST',
      url: '/api/v1/assess',
      headers: { authorization: 'Bearer key-one' },
      payload: { text: 'cứu tôi, họ nhốt tôi ở Campuchia' },
    });
    expect(help.json().distress.level).toBe('imminent');
  });

  it('answers bad bodies with 400 and huge ones with 413', async () => {
    t = await startTestServer({ env: { ASSESS_API_KEYS: 'k' } });
    const headers = { authorization: 'Bearer k' };
    expect(
      (await t.server.app.inject({ method: 'POST', url: '/api/v1/assess', headers, payload: { text: '' } }))
        .statusCode,
    ).toBe(400);
    expect(
      (await t.server.app.inject({ method: 'POST', url: '/api/v1/assess', headers, payload: { txt: 'a' } }))
        .statusCode,
    ).toBe(400);
    const huge = await t.server.app.inject({
      method: 'POST',
      url: '/api/v1/assess',
      headers,
      payload: { text: 'a'.repeat(70_000) },
    });
    expect(huge.statusCode).toBe(413);
  });
});
