import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, openHarness } from './operator-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const me = (harness: Harness, cookie: string) =>
  harness.app.inject({ method: 'GET', url: '/api/operator/me', headers: { cookie } });

async function loginWith(harness: Harness, name: string, secret: string, cookie?: string) {
  const res = await harness.app.inject({
    method: 'POST',
    url: '/api/operator/login',
    payload: { name, secret },
    headers: cookie ? { cookie } : {},
  });
  expect(res.statusCode).toBe(200);
  const value = res.cookies.find((c) => c.name === 'smb_op')?.value;
  return { id: value!, cookie: `smb_op=${value}`, csrf: res.json().csrfToken as string };
}

describe('operator sessions', () => {
  it('never adopts a session id planted before login: login issues a new id and the planted one stays invalid', async () => {
    h = await openHarness();
    const secret = await h.account('ana', 'operator');
    const planted = 'attacker-chosen-session-id-0000000000';
    const session = await loginWith(h, 'ana', secret, `smb_op=${planted}`);
    expect(session.id).not.toBe(planted);
    expect((await me(h, `smb_op=${planted}`)).statusCode).toBe(401);
    expect((await me(h, session.cookie)).statusCode).toBe(200);
  });

  it('a second login in the same browser invalidates the session it brought', async () => {
    h = await openHarness();
    const secret = await h.account('binh', 'operator');
    const first = await loginWith(h, 'binh', secret);
    const second = await loginWith(h, 'binh', secret, first.cookie);
    expect(second.id).not.toBe(first.id);
    expect((await me(h, first.cookie)).statusCode).toBe(401);
    expect((await me(h, second.cookie)).statusCode).toBe(200);
  });

  it('ends a session left idle past OPERATOR_SESSION_IDLE_MINUTES; use keeps it alive', async () => {
    h = await openHarness({ OPERATOR_SESSION_IDLE_MINUTES: '30', OPERATOR_SESSION_HOURS: '12' });
    const secret = await h.account('chi', 'operator');
    const s = await loginWith(h, 'chi', secret);
    // Used every 25 minutes for two hours: still valid.
    for (let i = 0; i < 5; i++) {
      h.clock.advance(25 * 60_000);
      expect((await me(h, s.cookie)).statusCode).toBe(200);
    }
    h.clock.advance(31 * 60_000);
    expect((await me(h, s.cookie)).statusCode).toBe(401);
    // Gone from the store, not just refused.
    expect(await h.container.operators.getSession(s.id, h.clock.now() - 60 * 60_000)).toBeNull();
  });

  it('ends a session at OPERATOR_SESSION_HOURS however busy it is', async () => {
    h = await openHarness({ OPERATOR_SESSION_IDLE_MINUTES: '30', OPERATOR_SESSION_HOURS: '1' });
    const secret = await h.account('dung', 'operator');
    const s = await loginWith(h, 'dung', secret);
    for (let i = 0; i < 5; i++) {
      h.clock.advance(10 * 60_000);
      expect((await me(h, s.cookie)).statusCode).toBe(200);
    }
    h.clock.advance(11 * 60_000);
    expect((await me(h, s.cookie)).statusCode).toBe(401);
  });

  it('logout deletes the session on the server: the old cookie and CSRF token no longer work', async () => {
    h = await openHarness();
    const secret = await h.account('em', 'operator');
    const s = await loginWith(h, 'em', secret);
    const out = await h.app.inject({
      method: 'POST',
      url: '/api/operator/logout',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
    });
    expect(out.statusCode).toBe(200);
    expect(await h.container.operators.getSession(s.id, h.clock.now())).toBeNull();
    expect((await me(h, s.cookie)).statusCode).toBe(401);
    const replay = await h.app.inject({
      method: 'POST',
      url: '/api/operator/logout',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
    });
    expect(replay.statusCode).toBe(401);
  });

  it('a request racing a logout does not bring the session back', async () => {
    h = await openHarness();
    const secret = await h.account('gia', 'operator');
    const s = await loginWith(h, 'gia', secret);
    await Promise.all([
      me(h, s.cookie),
      h.app.inject({
        method: 'POST',
        url: '/api/operator/logout',
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
      }),
      me(h, s.cookie),
    ]);
    expect(await h.container.operators.getSession(s.id, h.clock.now())).toBeNull();
  });

  it('a secret reset or a disable by a supervisor ends every session of that account at once', async () => {
    h = await openHarness();
    const boss = await h.login('boss', 'supervisor');
    const secret = await h.account('hoa', 'operator');
    const desk = await loginWith(h, 'hoa', secret);
    const phone = await loginWith(h, 'hoa', secret);
    const reset = await h.app.inject({
      method: 'POST',
      url: '/api/operator/accounts/hoa/reset',
      headers: { cookie: boss.cookie, 'x-csrf-token': boss.csrf },
    });
    expect(reset.statusCode).toBe(200);
    expect((await me(h, desk.cookie)).statusCode).toBe(401);
    expect((await me(h, phone.cookie)).statusCode).toBe(401);
    expect(await h.container.operators.getSession(desk.id, h.clock.now())).toBeNull();

    const again = await loginWith(h, 'hoa', reset.json().secret as string);
    await h.app.inject({
      method: 'POST',
      url: '/api/operator/accounts/hoa/disable',
      headers: { cookie: boss.cookie, 'x-csrf-token': boss.csrf },
    });
    expect(await h.container.operators.getSession(again.id, h.clock.now())).toBeNull();
    expect((await me(h, boss.cookie)).statusCode).toBe(200);
  });
});
