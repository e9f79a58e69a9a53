import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zaloSignature } from '../../src/adapters/zalo/zalo-signature.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { createServer, type Server } from '../../src/server.js';
import { FakeZaloApi } from '../fakes/zalo-api.js';
import { cleanPrefix, openTestRedis, testRedisUrl } from '../support/redis.js';

const APP_ID = '1234567890';
const OA_SECRET = 'oa-secret-key-123';
const APP_SECRET = 'app-secret-456';
const OA_ID = '579745863508352884';
/** Above 2^53: a lossy number would name another person. */
const USER = '8877665544332211009';

const OFFER_TEXT =
  'Tuyển gấp việc nhẹ lương cao 30 triệu/tháng ở Campuchia, bao vé máy bay, không cần kinh nghiệm, không cần hộ chiếu, liên hệ ngay';

/** SHA-256 by the system's sha256sum: independent of the code under test. */
function sign(raw: string, timestamp: string, secret = OA_SECRET): string {
  const hex = execFileSync('sha256sum', { input: `${APP_ID}${raw}${timestamp}${secret}` })
    .toString()
    .split(' ')[0];
  return `mac=${hex}`;
}

let seq = 0;
function textEvent(text: string, options: { user?: string; msgId?: string; timestamp?: number } = {}) {
  const timestamp = String(options.timestamp ?? Date.now());
  return {
    app_id: APP_ID,
    user_id_by_app: '5566778899001122334',
    event_name: 'user_send_text',
    timestamp,
    sender: { id: options.user ?? USER },
    recipient: { id: OA_ID },
    message: { text, msg_id: options.msgId ?? `msg${Date.now()}${seq++}` },
  };
}

describe('Zalo OA channel end to end', () => {
  let fake: FakeZaloApi;
  let prefix: string;
  const servers: Server[] = [];

  beforeEach(async () => {
    fake = await new FakeZaloApi({ appId: APP_ID, appSecret: APP_SECRET }).start();
    prefix = `tzalo-${randomBytes(6).toString('hex')}`;
  });

  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
    await fake.close();
    const redis = openTestRedis();
    await cleanPrefix(redis, prefix);
    redis.disconnect();
  });

  async function start(env: Record<string, string> = {}, logLines?: string[]) {
    const config = loadConfig({
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      ZALO_APP_ID: APP_ID,
      ZALO_OA_SECRET_KEY: OA_SECRET,
      ZALO_APP_SECRET: APP_SECRET,
      ZALO_API_BASE: fake.url,
      ZALO_OAUTH_BASE: fake.url,
      LOG_LEVEL: 'silent',
      ...env,
    });
    const logger = logLines
      ? createLogger('info', { write: (line: string) => void logLines.push(line) })
      : createLogger('silent');
    const server = await createServer(config, logger, {
      instanceId: `zalo-${servers.length}-${randomBytes(3).toString('hex')}`,
    });
    servers.push(server);
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    const post = (raw: string, signature?: string, headers: Record<string, string> = {}) =>
      fetch(`${base}/webhooks/zalo`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'x-zevent-signature': signature } : {}),
          ...headers,
        },
        body: raw,
      });
    const postEvent = (event: { timestamp: string }) => {
      const raw = JSON.stringify(event);
      return post(raw, sign(raw, event.timestamp));
    };
    return { server, base, post, postEvent };
  }

  it('matches a signature vector computed outside the code under test', () => {
    const raw = '{"app_id":"1234567890","event_name":"user_send_text","timestamp":"1700000000000"}';
    // printf '%s' '1234567890<raw>1700000000000oa-secret-key-123' | sha256sum
    const expected = 'mac=f32044955cda91b2bbc6cfbc9d886cddf0cb9b05be691242a555ccb269df3907';
    expect(sign(raw, '1700000000000')).toBe(expected);
    expect(zaloSignature(APP_ID, Buffer.from(raw), '1700000000000', OA_SECRET)).toBe(expected);
  });

  it('answers a signed text event on the CS endpoint, to the right recipient, with menu buttons', async () => {
    const { server, postEvent } = await start({ ZALO_REFRESH_TOKEN: fake.issueRefreshToken() });
    const response = await postEvent(textEvent('xin chào'));
    expect(response.status).toBe(200);
    await server.drain();

    const sent = fake.delivered();
    expect(sent.length).toBeGreaterThan(0);
    for (const call of sent) expect(call.body.recipient?.user_id).toBe(USER);
    const last = sent[sent.length - 1]!;
    const buttons = last.body.message?.attachment?.payload?.buttons ?? [];
    expect(buttons.length).toBeGreaterThan(0);
    expect(buttons.length).toBeLessThanOrEqual(5);
    expect(buttons.every((b) => b.type === 'oa.query.hide' && typeof b.payload === 'string')).toBe(true);
    // The first send had no access token yet: one refresh, with the app secret header.
    expect(fake.refreshCalls).toHaveLength(1);
    expect(fake.refreshCalls[0]).toMatchObject({
      secretKey: APP_SECRET,
      appId: APP_ID,
      grantType: 'refresh_token',
    });
    expect(sent[0]!.accessToken).toMatch(/^at-/);

    // Pressing a button (oa.query.hide sends its payload back as text) moves the conversation on.
    const before = fake.delivered().length;
    await postEvent(textEvent(buttons[0]!.payload as string));
    await server.drain();
    const after = fake.delivered().slice(before);
    expect(after.length).toBeGreaterThan(0);
    expect(after.map((c) => c.body.message?.text).join('\n')).not.toBe(last.body.message?.text);
  });

  it('keeps ids above 2^53 exact even when they arrive as bare numbers', async () => {
    const { server, post } = await start({ ZALO_REFRESH_TOKEN: fake.issueRefreshToken() });
    const event = textEvent('xin chào');
    const raw = JSON.stringify(event).replace(`"id":"${USER}"`, `"id":${USER}`);
    expect(raw).toContain(`"id":${USER}`);
    expect((await post(raw, sign(raw, event.timestamp))).status).toBe(200);
    await server.drain();
    expect(fake.delivered()[0]?.body.recipient?.user_id).toBe(USER);
  });

  it('refuses a bad or missing signature with 401 and sends nothing', async () => {
    const { server, post } = await start({ ZALO_REFRESH_TOKEN: fake.issueRefreshToken() });
    const event = textEvent('xin chào');
    const raw = JSON.stringify(event);
    const wrong = await post(raw, sign(raw, event.timestamp, 'another-secret'));
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('ZALO_BAD_SIGNATURE');
    expect((await post(raw)).status).toBe(401);
    // A body changed after signing fails too.
    const tampered = raw.replace('xin chào', 'xin chao');
    expect((await post(tampered, sign(raw, event.timestamp))).status).toBe(401);
    expect((await server.container.inbox.depth()).waiting).toBe(0);
    await server.drain();
    expect(fake.csCalls).toHaveLength(0);
  });

  it('rejects an old event as a replay, even with a valid signature', async () => {
    const { server, postEvent } = await start({ ZALO_REFRESH_TOKEN: fake.issueRefreshToken() });
    const response = await postEvent(textEvent('xin chào', { timestamp: Date.now() - 3600_000 }));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ZALO_STALE_EVENT');
    await server.drain();
    expect(fake.csCalls).toHaveLength(0);
  });

  it('answers malformed JSON with 400 and a huge body with 413', async () => {
    const { post } = await start({ ZALO_REFRESH_TOKEN: fake.issueRefreshToken() });
    expect((await post('{"app_id":', 'mac=00')).status).toBe(400);
    const huge = JSON.stringify({ ...textEvent('x'), pad: 'a'.repeat(200_000) });
    expect((await post(huge, 'mac=00')).status).toBe(413);
  });

  it('answers a duplicate msg_id once', async () => {
    const { server, postEvent } = await start({ ZALO_REFRESH_TOKEN: fake.issueRefreshToken() });
    const event = textEvent('xin chào', { msgId: 'dup-msg-1' });
    const first = await postEvent(event);
    const second = await postEvent(event);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ status: 'duplicate' });
    await server.drain();
    const once = fake.delivered().length;
    expect(once).toBeGreaterThan(0);

    // Zalo retrying later, after the event was handled, is still a duplicate.
    expect(await (await postEvent(event)).json()).toEqual({ status: 'duplicate' });
    await server.drain();
    expect(fake.delivered()).toHaveLength(once);
  });

  it('checks an offer forwarded as text and as a link', async () => {
    const { server, postEvent } = await start({ ZALO_REFRESH_TOKEN: fake.issueRefreshToken() });
    await postEvent(textEvent(OFFER_TEXT));
    await server.drain();
    const textReplies = fake.delivered().map((c) => c.body.message?.text ?? '');
    expect(textReplies.some((t) => t.includes('Mức nguy hiểm'))).toBe(true);

    const linkUser = '7766554433221100998';
    const before = fake.delivered().length;
    const linkEvent = {
      app_id: APP_ID,
      event_name: 'user_send_link',
      timestamp: String(Date.now()),
      sender: { id: linkUser },
      recipient: { id: OA_ID },
      message: {
        msg_id: `link${Date.now()}`,
        text: 'https://tuyendung.example/viec-nhe',
        attachments: [
          {
            type: 'link',
            payload: {
              url: 'https://tuyendung.example/viec-nhe',
              title: 'Tuyển gấp việc nhẹ lương cao 30 triệu/tháng ở Campuchia',
              description: 'Bao vé máy bay, không cần kinh nghiệm, không cần hộ chiếu',
              thumbnail: 'https://tuyendung.example/a.jpg',
            },
          },
        ],
      },
    };
    await postEvent(linkEvent);
    await server.drain();
    const linkReplies = fake.delivered().slice(before);
    expect(linkReplies.every((c) => c.body.recipient?.user_id === linkUser)).toBe(true);
    expect(linkReplies.some((c) => (c.body.message?.text ?? '').includes('Mức nguy hiểm'))).toBe(true);
  });

  it('refreshes on -216 and sends with the new token', async () => {
    fake.allowAccessToken('at-configured');
    const refresh = fake.issueRefreshToken();
    const { server, postEvent } = await start({
      ZALO_REFRESH_TOKEN: refresh,
      ZALO_ACCESS_TOKEN: 'at-configured',
    });
    await postEvent(textEvent('xin chào'));
    await server.drain();
    expect(fake.refreshCalls).toHaveLength(0);
    expect(fake.delivered()[0]?.accessToken).toBe('at-configured');

    fake.revokeAccessTokens();
    const before = fake.csCalls.length;
    await postEvent(textEvent('menu'));
    await server.drain();
    const calls = fake.csCalls.slice(before);
    expect(calls[0]).toMatchObject({ accessToken: 'at-configured', outcome: -216 });
    expect(fake.refreshCalls).toEqual([
      expect.objectContaining({ refreshToken: refresh, outcome: 'refreshed' }),
    ]);
    const retried = calls.filter((c) => c.outcome === 0);
    expect(retried.length).toBeGreaterThan(0);
    expect(retried.every((c) => c.accessToken !== 'at-configured' && c.accessToken?.startsWith('at-'))).toBe(
      true,
    );

    // A scripted -216 on a working token refreshes again and still delivers.
    fake.csScript.push(-216);
    const mark = fake.csCalls.length;
    await postEvent(textEvent('menu'));
    await server.drain();
    expect(fake.refreshCalls.filter((c) => c.outcome === 'refreshed')).toHaveLength(2);
    expect(fake.csCalls.slice(mark).some((c) => c.outcome === 0)).toBe(true);
  });

  it('lets two processes refreshing at once spend the refresh token once', async () => {
    const refresh = fake.issueRefreshToken();
    fake.refreshDelayMs = 150;
    const a = await start({ ZALO_REFRESH_TOKEN: refresh });
    const b = await start({ ZALO_REFRESH_TOKEN: refresh });
    const [tokenA, tokenB] = await Promise.all([
      a.server.zalo!.tokens.accessToken(),
      b.server.zalo!.tokens.accessToken(),
    ]);
    expect(tokenA).toBe(tokenB);
    expect(fake.refreshCalls).toHaveLength(1);
    expect(fake.refreshCalls[0]?.outcome).toBe('refreshed');

    // Both see the token rejected at the same moment: still one refresh, no reuse of a spent token.
    fake.revokeAccessTokens();
    const [nextA, nextB] = await Promise.all([
      a.server.zalo!.tokens.refresh(tokenA),
      b.server.zalo!.tokens.refresh(tokenB),
    ]);
    expect(nextA.accessToken).toBe(nextB.accessToken);
    expect(fake.refreshCalls.map((c) => c.outcome)).toEqual(['refreshed', 'refreshed']);

    // And messages handled by both processes go out.
    await a.postEvent(textEvent('xin chào', { user: '1111111111111111111' }));
    await b.postEvent(textEvent('xin chào', { user: '2222222222222222222' }));
    await Promise.all([a.server.drain(), b.server.drain()]);
    const recipients = new Set(fake.delivered().map((c) => c.body.recipient?.user_id));
    expect(recipients).toEqual(new Set(['1111111111111111111', '2222222222222222222']));
    expect(fake.refreshCalls.every((c) => c.outcome === 'refreshed')).toBe(true);
  });

  it('records -230 as undeliverable (user must write first) without retrying', async () => {
    const { server, postEvent } = await start({ ZALO_REFRESH_TOKEN: fake.issueRefreshToken() });
    fake.csScript.push(-230);
    await postEvent(textEvent('xin chào', { msgId: 'late-1' }));
    await server.drain();
    expect(fake.csCalls.filter((c) => c.outcome === -230)).toHaveLength(1);
    const log = await server.zalo!.undeliverable.list(USER);
    expect(log.length).toBeGreaterThan(0);
    expect(log[0]).toMatchObject({ code: 'ZALO_OUTSIDE_WINDOW', zaloError: -230 });
    expect(log[0]!.id).toContain('late-1');
  });

  it('retries a 5xx answer and delivers', async () => {
    const { server, postEvent } = await start({ ZALO_REFRESH_TOKEN: fake.issueRefreshToken() });
    fake.csScript.push('http502');
    await postEvent(textEvent('xin chào'));
    await server.drain();
    expect(fake.csCalls[0]?.outcome).toBe('http502');
    expect(fake.delivered().length).toBeGreaterThan(0);
  });

  it('sends deletion advice on quick exit, since Zalo cannot delete messages', async () => {
    const { server, postEvent } = await start({ ZALO_REFRESH_TOKEN: fake.issueRefreshToken() });
    await postEvent(textEvent('xin chào'));
    await server.drain();
    const before = fake.delivered().length;
    await postEvent(textEvent('/exit'));
    await server.drain();
    const texts = fake
      .delivered()
      .slice(before)
      .map((c) => c.body.message?.text ?? '');
    expect(texts.some((t) => t.includes('Zalo không cho phép mình xoá tin nhắn'))).toBe(true);
  });

  it('greets a follower, and marks an unfollower unreachable until they write again', async () => {
    const { server, postEvent } = await start({ ZALO_REFRESH_TOKEN: fake.issueRefreshToken() });
    const followEvent = (name: 'follow' | 'unfollow') => ({
      app_id: APP_ID,
      oa_id: OA_ID,
      event_name: name,
      timestamp: String(Date.now()),
      source: 'oa_profile',
      follower: { id: USER },
      user_id_by_app: '5566778899001122334',
    });
    expect((await postEvent(followEvent('follow'))).status).toBe(200);
    await server.drain();
    const greeting = fake.delivered();
    expect(greeting.length).toBeGreaterThan(0);
    expect(greeting[greeting.length - 1]?.body.message?.attachment?.payload?.buttons?.length).toBeGreaterThan(
      0,
    );
    expect(greeting.every((c) => c.body.recipient?.user_id === USER)).toBe(true);

    const before = fake.csCalls.length;
    expect((await postEvent(followEvent('unfollow'))).status).toBe(200);
    await server.drain();
    expect(fake.csCalls.length).toBe(before);
    expect(await server.zalo!.undeliverable.unreachableSince(USER)).toBeGreaterThan(0);

    await postEvent(textEvent('xin chào'));
    await server.drain();
    expect(await server.zalo!.undeliverable.unreachableSince(USER)).toBeUndefined();
  });

  it('works without Redis too (memory stores), with a raw octet body', async () => {
    const config = loadConfig({
      ZALO_APP_ID: APP_ID,
      ZALO_OA_SECRET_KEY: OA_SECRET,
      ZALO_APP_SECRET: APP_SECRET,
      ZALO_REFRESH_TOKEN: fake.issueRefreshToken(),
      ZALO_API_BASE: fake.url,
      ZALO_OAUTH_BASE: fake.url,
      LOG_LEVEL: 'silent',
    });
    const server = await createServer(config, createLogger('silent'));
    servers.push(server);
    expect(server.container.backend).toBe('memory');
    const event = textEvent('xin chào');
    const raw = JSON.stringify(event);
    const response = await server.app.inject({
      method: 'POST',
      url: '/webhooks/zalo',
      headers: { 'x-zevent-signature': sign(raw, event.timestamp) },
      payload: Buffer.from(raw),
    });
    expect(response.statusCode).toBe(200);
    await server.drain();
    expect(fake.delivered()[0]?.body.recipient?.user_id).toBe(USER);
  });

  it('reports the channel degraded when the refresh token is refused', async () => {
    const logs: string[] = [];
    const { server, base } = await start({ ZALO_REFRESH_TOKEN: 'rt-never-issued' }, logs);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await expect(server.zalo!.tokens.accessToken()).rejects.toMatchObject({ code: 'ZALO_REFRESH_REFUSED' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { checks: Record<string, string> };
    expect(body.checks.zalo).toMatch(/^degraded/);
    // Loud, and without the token or the secrets.
    expect(logs.some((l) => l.includes('"level":50') && l.includes('ZALO TOKEN REFRESH FAILED'))).toBe(true);
    const all = logs.join('\n');
    for (const secret of ['rt-never-issued', APP_SECRET, OA_SECRET]) expect(all).not.toContain(secret);
  });
});
