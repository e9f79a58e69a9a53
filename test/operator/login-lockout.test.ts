import { afterEach, describe, expect, it } from 'vitest';
import { LOGIN_GUARD, lockoutNetwork } from '../../src/operator/login-guard.js';
import { ACCOUNTS_AUDIT_ID } from '../../src/operator/operator-api.js';
import { startTestServer } from '../support/test-server.js';
import { type Harness, openHarness } from './operator-harness.js';

const LOGIN = '/api/operator/login';
const ATTACKER = '203.0.113.66';
const OPERATOR_DESK = '198.51.100.10';
const PAIR_LOCKED = 'Too many failed logins for this account from this address; try again in 15 minutes.';
const ADDRESS_LOCKED = 'Too many failed logins from this address; try again in 15 minutes.';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function login(
  harness: Harness,
  name: string,
  secret: string,
  from: string,
  headers: Record<string, string> = {},
) {
  return harness.app.inject({
    method: 'POST',
    url: LOGIN,
    remoteAddress: from,
    headers,
    payload: { name, secret },
  });
}

const statuses = (responses: Array<{ statusCode: number }>) => responses.map((r) => r.statusCode);

describe('operator login lockout', () => {
  it('locks the guessing address for that name, never the operator at their own address', async () => {
    h = await openHarness();
    const secret = await h.account('lan', 'operator');

    const tries = [];
    for (let i = 0; i < 8; i++) tries.push(await login(h, 'lan', `guess-${i}`, ATTACKER));
    expect(statuses(tries)).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect(tries[5]!.json()).toEqual({ error: { code: 'LOCKED_OUT', message: PAIR_LOCKED } });
    // Locked means locked: the attacker's address does not even get the right secret checked.
    expect((await login(h, 'lan', secret, ATTACKER)).statusCode).toBe(429);

    // The real operator, at another address, logs in as usual.
    const real = await login(h, 'lan', secret, OPERATOR_DESK);
    expect(real.statusCode).toBe(200);
    expect(real.json()).toMatchObject({ name: 'lan', role: 'operator' });

    // Every wrong secret is audited; the one that locked says so. No address, no secret.
    const audit = (await h.container.cases.readAudit(ACCOUNTS_AUDIT_ID, 50)).filter(
      (e) => e.action === 'login_failed',
    );
    expect(audit).toHaveLength(5);
    expect(audit.every((e) => e.actor === 'lan')).toBe(true);
    expect(audit.map((e) => e.detail).filter(Boolean)).toEqual(['locked_pair']);
    expect(JSON.stringify(audit)).not.toMatch(/guess-|203\.0\.113/);
  });

  it('locks an address that guesses across many names, with a message about the address', async () => {
    h = await openHarness({ RATE_LIMIT_LOGIN: '1000' });
    const secret = await h.account('lan', 'operator');
    const { maxFailures } = LOGIN_GUARD.address;
    for (let i = 0; i < maxFailures; i++) {
      expect((await login(h, `name${i}`, 'guess', ATTACKER)).statusCode).toBe(401);
    }
    const locked = await login(h, 'lan', secret, ATTACKER);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toEqual({ error: { code: 'LOCKED_OUT', message: ADDRESS_LOCKED } });
    // Bearer secrets from that address are refused too; from elsewhere they work.
    const bearer = await h.app.inject({
      method: 'GET',
      url: '/api/operator/me',
      remoteAddress: ATTACKER,
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(bearer.statusCode).toBe(429);
    expect((await login(h, 'lan', secret, OPERATOR_DESK)).statusCode).toBe(200);
  });

  it('still limits a brute force from many addresses: past the per-name ceiling each address gets one guess', async () => {
    h = await openHarness();
    const secret = await h.account('lan', 'operator');
    const { failures: ceiling } = LOGIN_GUARD.nameCeiling;
    // A botnet: one guess from each of `ceiling` addresses (below every per-address limit).
    for (let i = 0; i < ceiling; i++) {
      expect((await login(h, 'lan', `guess-${i}`, `10.1.${i >> 8}.${i & 255}`)).statusCode).toBe(401);
    }
    // Past the ceiling, a new address's first wrong guess locks it for this name at once...
    const fresh = '10.2.0.1';
    expect((await login(h, 'lan', 'guess-x', fresh)).statusCode).toBe(401);
    const second = await login(h, 'lan', 'guess-y', fresh);
    expect(second.statusCode).toBe(429);
    expect(second.json().error.message).toBe(PAIR_LOCKED);
    // ... and so does any earlier bot's next one (it had four more before the ceiling).
    expect((await login(h, 'lan', 'guess-z', '10.1.0.0')).statusCode).toBe(401);
    expect((await login(h, 'lan', 'guess-w', '10.1.0.0')).statusCode).toBe(429);
    const audit = await h.container.cases.readAudit(ACCOUNTS_AUDIT_ID, 200);
    expect(audit.some((e) => e.detail === 'name_ceiling,locked_pair')).toBe(true);

    // The name itself is never locked: the operator at their desk logs in with the right secret.
    expect((await login(h, 'lan', secret, OPERATOR_DESK)).statusCode).toBe(200);
  });

  it('takes the client address from X-Forwarded-For only when TRUST_PROXY trusts the proxy', async () => {
    h = await openHarness({ TRUST_PROXY: '1' });
    const secret = await h.account('lan', 'operator');
    const proxy = '10.0.0.2';
    const viaProxy = (client: string) => ({ 'x-forwarded-for': client });
    for (let i = 0; i < LOGIN_GUARD.pair.maxFailures; i++) {
      expect((await login(h, 'lan', `guess-${i}`, proxy, viaProxy(ATTACKER))).statusCode).toBe(401);
    }
    expect((await login(h, 'lan', secret, proxy, viaProxy(ATTACKER))).statusCode).toBe(429);
    // Same proxy, another client: its own address, its own count.
    expect((await login(h, 'lan', secret, proxy, viaProxy(OPERATOR_DESK))).statusCode).toBe(200);
  });

  it('counts wrong Bearer secrets on every operator route towards the address lockout', async () => {
    // The whole server: canned replies and offer labels check Bearer secrets outside the operator API.
    const t = await startTestServer({ redis: true });
    try {
      const { secret } = await t.server.container.operators.add('lan', 'operator', Date.now());
      const bearer = (token: string, from: string, url: string) =>
        t.server.app.inject({
          method: 'GET',
          url,
          remoteAddress: from,
          headers: { authorization: `Bearer ${token}` },
        });
      const routes = ['/api/operator/me', '/api/operator/canned-replies', '/api/operator/offers/clusters'];
      for (let i = 0; i < LOGIN_GUARD.address.maxFailures; i++) {
        expect((await bearer(`guess-${i}`, ATTACKER, routes[i % routes.length]!)).statusCode).toBe(401);
      }
      for (const url of routes) {
        const locked = await bearer(secret, ATTACKER, url);
        expect(locked.statusCode).toBe(429);
        expect(locked.json()).toEqual({ error: { code: 'LOCKED_OUT', message: ADDRESS_LOCKED } });
        expect((await bearer(secret, OPERATOR_DESK, url)).statusCode).toBe(200);
      }
    } finally {
      await t.close();
    }
  });
  it('counts an IPv6 guesser by its /64, so fresh addresses of one subscriber do not reset the count', async () => {
    h = await openHarness();
    const secret = await h.account('lan', 'operator');
    const tries = [];
    for (let i = 0; i < 6; i++)
      tries.push(await login(h, 'lan', `guess-${i}`, `2001:db8:1:2::${(i + 1).toString(16)}`));
    expect(statuses(tries)).toEqual([401, 401, 401, 401, 401, 429]);
    // Another subscriber's network is not touched.
    expect((await login(h, 'lan', secret, '2001:db8:1:3::1')).statusCode).toBe(200);
  });
});

describe('lockoutNetwork', () => {
  it('keeps IPv4 addresses, unwraps IPv4-mapped IPv6 and counts IPv6 by /64', () => {
    expect(lockoutNetwork('203.0.113.66')).toBe('203.0.113.66');
    expect(lockoutNetwork('::ffff:203.0.113.66')).toBe('203.0.113.66');
    expect(lockoutNetwork('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(lockoutNetwork('2001:0DB8:0001:0002:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(lockoutNetwork('2001:db8::5')).toBe('2001:db8:0:0::/64');
    expect(lockoutNetwork('::1')).toBe('0:0:0:0::/64');
    expect(lockoutNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
