import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, openHarness } from './operator-harness.js';

const API = '/api/operator';

describe('operator API', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  describe('login', () => {
    it('logs in with the right secret and sets a strict, httpOnly session cookie', async () => {
      const secret = await h.account('lan', 'operator');
      const res = await h.app.inject({
        method: 'POST',
        url: `${API}/login`,
        payload: { name: 'lan', secret },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ name: 'lan', role: 'operator', csrfToken: expect.any(String) });
      const cookie = res.cookies.find((c) => c.name === 'smb_op');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(cookie?.secure).toBeFalsy();
      const me = await h.app.inject({
        method: 'GET',
        url: `${API}/me`,
        headers: { cookie: `smb_op=${cookie?.value}` },
      });
      expect(me.json()).toMatchObject({ name: 'lan', role: 'operator' });
    });

    it('marks the cookie Secure in production', async () => {
      await h.close();
      h = await openHarness({
        NODE_ENV: 'production',
        PUBLIC_BASE_URL: 'https://bot.example.org',
        METRICS_ACCESS: 'off',
      });
      const secret = await h.account('lan', 'operator');
      const res = await h.app.inject({
        method: 'POST',
        url: `${API}/login`,
        payload: { name: 'lan', secret },
      });
      expect(res.cookies.find((c) => c.name === 'smb_op')?.secure).toBe(true);
    });

    it('answers 401 to a wrong secret and 400 to a malformed body', async () => {
      await h.account('lan', 'operator');
      const wrong = await h.app.inject({
        method: 'POST',
        url: `${API}/login`,
        payload: { name: 'lan', secret: 'not-the-secret' },
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.cookies).toEqual([]);
      const bad = await h.app.inject({ method: 'POST', url: `${API}/login`, payload: { name: 'lan' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toMatch(/secret/);
    });

    it('locks a name at the guessing address after five failures, even for the right secret', async () => {
      const secret = await h.account('lan', 'operator');
      for (let i = 0; i < 5; i++) {
        const res = await h.app.inject({
          method: 'POST',
          url: `${API}/login`,
          payload: { name: 'lan', secret: `x${i}` },
        });
        expect(res.statusCode).toBe(401);
      }
      const locked = await h.app.inject({
        method: 'POST',
        url: `${API}/login`,
        payload: { name: 'lan', secret },
      });
      expect(locked.statusCode).toBe(429);
      expect(locked.json().error.code).toBe('LOCKED_OUT');
      // Other addresses: test/operator/login-lockout.test.ts.
    });

    it('refuses a disabled account and a logged-out session', async () => {
      const lan = await h.login('lan', 'operator');
      const out = await h.app.inject({
        method: 'POST',
        url: `${API}/logout`,
        headers: { cookie: lan.cookie, 'x-csrf-token': lan.csrf },
      });
      expect(out.statusCode).toBe(200);
      expect(
        (await h.app.inject({ method: 'GET', url: `${API}/me`, headers: { cookie: lan.cookie } })).statusCode,
      ).toBe(401);
      const minh = await h.login('minh', 'operator');
      await h.container.operators.disable('minh');
      expect(
        (await h.app.inject({ method: 'GET', url: `${API}/me`, headers: { cookie: minh.cookie } }))
          .statusCode,
      ).toBe(401);
    });
  });

  describe('authentication and authorisation', () => {
    it('answers 401 without a session or token, and to a wrong token', async () => {
      expect((await h.app.inject({ method: 'GET', url: `${API}/cases` })).statusCode).toBe(401);
      const res = await h.app.inject({
        method: 'GET',
        url: `${API}/cases`,
        headers: { authorization: 'Bearer nope' },
      });
      expect(res.statusCode).toBe(401);
    });

    it('accepts the secret as a Bearer token, without CSRF', async () => {
      const secret = await h.account('lan', 'operator');
      const c = await h.openCase('u1');
      const auth = { authorization: `Bearer ${secret}` };
      const list = await h.app.inject({ method: 'GET', url: `${API}/cases`, headers: auth });
      expect(list.statusCode).toBe(200);
      expect(list.json().cases.map((x: { id: string }) => x.id)).toEqual([c.id]);
      const claim = await h.app.inject({ method: 'POST', url: `${API}/cases/${c.id}/claim`, headers: auth });
      expect(claim.statusCode).toBe(200);
    });

    it('refuses a cookie mutation without the CSRF header, or with a wrong one', async () => {
      const lan = await h.login('lan', 'operator');
      const c = await h.openCase('u1');
      const none = await h.app.inject({
        method: 'POST',
        url: `${API}/cases/${c.id}/claim`,
        headers: { cookie: lan.cookie },
      });
      expect(none.statusCode).toBe(403);
      const wrong = await h.app.inject({
        method: 'POST',
        url: `${API}/cases/${c.id}/claim`,
        headers: { cookie: lan.cookie, 'x-csrf-token': `${lan.csrf}x` },
      });
      expect(wrong.statusCode).toBe(403);
      expect((await h.container.cases.get(c.id))?.state).toBe('waiting');
      const right = await h.app.inject({
        method: 'POST',
        url: `${API}/cases/${c.id}/claim`,
        headers: { cookie: lan.cookie, 'x-csrf-token': lan.csrf },
      });
      expect(right.statusCode).toBe(200);
    });

    const supervisorRoutes: Array<[string, string, object | undefined]> = [
      ['GET', '/accounts', undefined],
      ['POST', '/accounts', { name: 'newbie', role: 'operator' }],
      ['POST', '/accounts/lan/disable', undefined],
      ['POST', '/accounts/lan/reset', undefined],
      ['GET', '/stats', undefined],
    ];
    it.each(supervisorRoutes)(
      'keeps %s %s for supervisors (403 for an operator)',
      async (method, path, payload) => {
        const secret = await h.account('lan', 'operator');
        const res = await h.app.inject({
          method: method as 'GET' | 'POST',
          url: `${API}${path}`,
          headers: { authorization: `Bearer ${secret}` },
          ...(payload ? { payload } : {}),
        });
        expect(res.statusCode).toBe(403);
        expect((await h.container.operators.get('lan'))?.disabled).toBe(false);
        expect(await h.container.operators.get('newbie')).toBeNull();
      },
    );
  });

  describe('cases', () => {
    it('lists the queue in order without transcripts, and shows one case with transcript and audit', async () => {
      const secret = await h.account('lan', 'operator');
      const auth = { authorization: `Bearer ${secret}` };
      const high = await h.openCase('u1', 'high');
      h.clock.advance(60_000);
      const imminent = await h.openCase('u2', 'imminent');
      const list = await h.app.inject({ method: 'GET', url: `${API}/cases?state=waiting`, headers: auth });
      const items = list.json().cases as Array<Record<string, unknown>>;
      expect(items.map((x) => x.id)).toEqual([imminent.id, high.id]);
      expect(items[0]).not.toHaveProperty('transcript');
      expect(items[1]).toMatchObject({ sla: 'ok', waitingSeconds: 60 });
      await h.app.inject({ method: 'POST', url: `${API}/cases/${high.id}/claim`, headers: auth });
      const one = await h.app.inject({ method: 'GET', url: `${API}/cases/${high.id}`, headers: auth });
      expect(one.json().case.transcript[0].text).toBe('tôi bị giữ, cứu tôi');
      expect(one.json().audit).toEqual([
        expect.objectContaining({ actor: 'lan', action: 'claim', caseId: high.id }),
      ]);
      expect(
        (await h.app.inject({ method: 'GET', url: `${API}/cases?state=nope`, headers: auth })).statusCode,
      ).toBe(400);
      expect(
        (await h.app.inject({ method: 'GET', url: `${API}/cases/missing`, headers: auth })).statusCode,
      ).toBe(404);
    });

    it('gives one of two concurrent claims 200 and the other 409', async () => {
      const lan = await h.account('lan', 'operator');
      const minh = await h.account('minh', 'operator');
      const c = await h.openCase('u1');
      const [a, b] = await Promise.all(
        [lan, minh].map((secret) =>
          h.app.inject({
            method: 'POST',
            url: `${API}/cases/${c.id}/claim`,
            headers: { authorization: `Bearer ${secret}` },
          }),
        ),
      );
      expect([a?.statusCode, b?.statusCode].sort()).toEqual([200, 409]);
    });

    it('relays the assignee’s messages, queued in the transcript, and refuses anyone else', async () => {
      const lan = await h.account('lan', 'operator');
      const minh = await h.account('minh', 'operator');
      const c = await h.openCase('u1');
      const as = (secret: string) => ({ authorization: `Bearer ${secret}` });
      await h.app.inject({ method: 'POST', url: `${API}/cases/${c.id}/claim`, headers: as(lan) });
      const sent = await h.app.inject({
        method: 'POST',
        url: `${API}/cases/${c.id}/messages`,
        headers: as(lan),
        payload: { text: 'Chào bạn, mình ở đường dây nóng.' },
      });
      expect(sent.statusCode).toBe(200);
      const entryId = sent.json().entryId;
      expect(h.relayed).toEqual([
        { caseId: c.id, text: 'Chào bạn, mình ở đường dây nóng.', operator: 'lan', entryId },
      ]);
      const stored = await h.container.cases.get(c.id);
      expect(stored?.transcript.at(-1)).toMatchObject({
        id: entryId,
        from: 'operator',
        author: 'lan',
        delivery: 'queued',
      });
      const other = await h.app.inject({
        method: 'POST',
        url: `${API}/cases/${c.id}/messages`,
        headers: as(minh),
        payload: { text: 'hi' },
      });
      expect(other.statusCode).toBe(403);
      const empty = await h.app.inject({
        method: 'POST',
        url: `${API}/cases/${c.id}/messages`,
        headers: as(lan),
        payload: { text: '  ' },
      });
      expect(empty.statusCode).toBe(400);
      expect(h.relayed).toHaveLength(1);
      const audit = await h.container.cases.readAudit(c.id);
      expect(JSON.stringify(audit)).not.toContain('đường dây');
    });

    it('marks a message failed when the relay throws', async () => {
      const lan = await h.account('lan', 'operator');
      const c = await h.openCase('u1');
      await h.app.inject({
        method: 'POST',
        url: `${API}/cases/${c.id}/claim`,
        headers: { authorization: `Bearer ${lan}` },
      });
      h.failRelay.next = true;
      const res = await h.app.inject({
        method: 'POST',
        url: `${API}/cases/${c.id}/messages`,
        headers: { authorization: `Bearer ${lan}` },
        payload: { text: 'hello' },
      });
      expect(res.statusCode).toBe(502);
      expect((await h.container.cases.get(c.id))?.transcript.at(-1)).toMatchObject({ delivery: 'failed' });
    });

    it('adds notes, releases, and resolves only with a configured outcome', async () => {
      const lan = await h.account('lan', 'operator');
      const auth = { authorization: `Bearer ${lan}` };
      const c = await h.openCase('u1');
      const note = await h.app.inject({
        method: 'POST',
        url: `${API}/cases/${c.id}/notes`,
        headers: auth,
        payload: { text: 'Gọi lại sau 10 phút' },
      });
      expect(note.json().case.notes).toEqual([
        expect.objectContaining({ author: 'lan', text: 'Gọi lại sau 10 phút' }),
      ]);
      await h.app.inject({ method: 'POST', url: `${API}/cases/${c.id}/claim`, headers: auth });
      const released = await h.app.inject({
        method: 'POST',
        url: `${API}/cases/${c.id}/release`,
        headers: auth,
      });
      expect(released.json().case.state).toBe('waiting');
      await h.app.inject({ method: 'POST', url: `${API}/cases/${c.id}/claim`, headers: auth });
      const bad = await h.app.inject({
        method: 'POST',
        url: `${API}/cases/${c.id}/resolve`,
        headers: auth,
        payload: { outcome: 'went_fishing' },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toMatch(/referred_to_police/);
      const ok = await h.app.inject({
        method: 'POST',
        url: `${API}/cases/${c.id}/resolve`,
        headers: auth,
        payload: { outcome: 'referred_to_consulate' },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().case).toMatchObject({ state: 'resolved', outcome: 'referred_to_consulate' });
      expect(h.resolved).toEqual([c.id]);
      const actions = (await h.container.cases.readAudit(c.id)).map((a) => a.action);
      expect(actions).toEqual(['note', 'claim', 'release', 'claim', 'resolve']);
    });
  });

  describe('supervisors', () => {
    it('manage accounts and read statistics', async () => {
      const boss = await h.login('boss', 'supervisor');
      const headers = { cookie: boss.cookie, 'x-csrf-token': boss.csrf };
      const added = await h.app.inject({
        method: 'POST',
        url: `${API}/accounts`,
        headers,
        payload: { name: 'lan', role: 'operator' },
      });
      expect(added.statusCode).toBe(201);
      expect(added.json()).toMatchObject({ name: 'lan', role: 'operator', secret: expect.any(String) });
      const dup = await h.app.inject({
        method: 'POST',
        url: `${API}/accounts`,
        headers,
        payload: { name: 'lan', role: 'operator' },
      });
      expect(dup.statusCode).toBe(409);
      const reset = await h.app.inject({ method: 'POST', url: `${API}/accounts/lan/reset`, headers });
      expect(await h.container.operators.verify('lan', reset.json().secret)).toMatchObject({ name: 'lan' });
      expect(
        (await h.app.inject({ method: 'POST', url: `${API}/accounts/lan/disable`, headers })).statusCode,
      ).toBe(200);
      expect(
        (await h.app.inject({ method: 'POST', url: `${API}/accounts/ghost/disable`, headers })).statusCode,
      ).toBe(404);
      const list = await h.app.inject({ method: 'GET', url: `${API}/accounts`, headers });
      expect(list.json().accounts).toEqual([
        expect.objectContaining({ name: 'boss', role: 'supervisor', disabled: false }),
        expect.objectContaining({ name: 'lan', role: 'operator', disabled: true }),
      ]);
      expect(list.body).not.toContain(reset.json().secret);

      const c = await h.openCase('u1', 'imminent');
      h.clock.advance(30_000);
      await h.app.inject({ method: 'POST', url: `${API}/cases/${c.id}/claim`, headers });
      const stats = await h.app.inject({ method: 'GET', url: `${API}/stats`, headers });
      expect(stats.json()).toMatchObject({
        total: 1,
        byLevel: { imminent: 1, high: 0, concern: 0 },
        timeToClaim: { imminent: { count: 1, medianSeconds: 30, p90Seconds: 30 } },
        slaHitRate: 1,
        openPerOperator: { boss: 1 },
      });
    });
  });

  describe('events', () => {
    it('streams case_claimed to a console over SSE, with no message text', async () => {
      const secret = await h.account('lan', 'operator');
      const c = await h.openCase('u1');
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = h.app.server.address() as AddressInfo;
      let received = '';
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        path: `${API}/events`,
        headers: { authorization: `Bearer ${secret}`, accept: 'text/event-stream' },
      });
      const gotClaim = new Promise<void>((resolve, reject) => {
        req.on('response', (res) => {
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toMatch(/text\/event-stream/);
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            received += chunk;
            if (received.includes(': ready') && !received.includes('claim-sent')) {
              received += 'claim-sent';
              void h.app.inject({
                method: 'POST',
                url: `${API}/cases/${c.id}/claim`,
                headers: { authorization: `Bearer ${secret}` },
              });
            }
            if (received.includes('event: case_claimed')) resolve();
          });
        });
        req.on('error', reject);
      });
      req.end();
      await gotClaim;
      req.destroy();
      const line = received.split('\n').find((l) => l.startsWith('data: {"type":"case_claimed"'));
      expect(JSON.parse(line!.slice(6))).toEqual({
        type: 'case_claimed',
        caseId: c.id,
        level: 'high',
        at: h.clock.now(),
      });
      expect(received).not.toContain('cứu');
    });
  });
});
