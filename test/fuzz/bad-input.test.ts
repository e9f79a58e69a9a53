import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectDistress } from '../../src/core/distress/detect.js';
import { step } from '../../src/core/engine/step.js';
import { realEngine, stepContext } from '../support/engine.js';
import { inbound, press } from '../support/messages.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// Text that real messages throw at us: any Unicode, control and bidi characters, emoji floods, long runs.
const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc
    .array(
      fc.constantFrom(
        '\u202e',
        '\u200b',
        '\u0000',
        '\ufeff',
        '🔥',
        '💰',
        'đ',
        'ư',
        '\u0301',
        '\n',
        '..',
        '/start',
        '/',
      ),
      { maxLength: 300 },
    )
    .map((a) => a.join('')),
  fc.constant('x'.repeat(10_000)),
  fc.constant('🔥'.repeat(5000)),
);

describe('hostile text never breaks the pure parts', () => {
  it('the offer checker and the distress detector answer every text', async () => {
    const engine = await realEngine();
    fc.assert(
      fc.property(hostileText, (text) => {
        const assessment = engine.advisor.assess(text, 'vi');
        expect(['none', 'low', 'medium', 'high']).toContain(assessment.level);
        expect(['none', 'concern', 'high', 'imminent']).toContain(detectDistress(text).level);
      }),
      { numRuns: 300 },
    );
  });

  it('the engine answers every text and every button payload, never silently', async () => {
    const ctx = stepContext(await realEngine());
    const start = step(undefined, inbound('/start'), ctx).state;
    fc.assert(
      fc.property(hostileText, fc.string({ maxLength: 80 }), (text, payload) => {
        const byText = step(start, inbound(text), ctx);
        expect(byText.replies.length + byText.effects.length).toBeGreaterThan(0);
        const byButton = step(start, press(payload), ctx);
        expect(byButton.replies.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('hostile bodies get a precise 4xx, never a 5xx', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      redis: true,
      env: {
        TELEGRAM_BOT_TOKEN: '123456:FUZZ-TOKEN-abcdefghijklmnopqrstuvwxyz',
        TELEGRAM_WEBHOOK_SECRET: 'fuzz_secret',
        TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
        ZALO_APP_ID: '1234567890',
        ZALO_OA_SECRET_KEY: 'fuzz-oa-secret',
        ZALO_APP_SECRET: 'fuzz-app-secret',
        ZALO_API_BASE: 'http://127.0.0.1:9',
        ZALO_OAUTH_BASE: 'http://127.0.0.1:9',
        WEBCHAT_MESSAGES_PER_MINUTE: '100000',
        ASSESS_API_KEYS: 'fuzz-key',
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const json = fc.jsonValue({ maxDepth: 6 });
  const deep = fc.nat({ max: 3000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`);
  const rawBody = fc.oneof(
    json.map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 300 }),
    deep,
  );

  it.each([
    ['/chat/api/messages', {}],
    ['/webhooks/telegram', { 'x-telegram-bot-api-secret-token': 'fuzz_secret' }],
    ['/webhooks/zalo', { 'x-zevent-signature': 'mac=00' }],
    ['/api/v1/assess', { authorization: 'Bearer fuzz-key' }],
    ['/api/operator/login', {}],
  ])('%s', async (url, headers) => {
    await fc.assert(
      fc.asyncProperty(rawBody, async (payload) => {
        const res = await t.server.app.inject({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json', ...headers },
          payload,
        });
        expect(res.statusCode, `${url} ${payload.slice(0, 80)}`).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});
