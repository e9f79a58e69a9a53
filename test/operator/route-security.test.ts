import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../src/app.js';
import type { Case } from '../../src/core/cases/case.js';
import { OFFERS_AUDIT_ID } from '../../src/operator/offer-label-routes.js';
import { ACCOUNTS_AUDIT_ID } from '../../src/operator/operator-api.js';
import type { OperatorRole } from '../../src/ports/operator-store.js';
import { FakeClock } from '../support/fake-clock.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Every operator route, read from the app's own route table, with who may call it and, for each
 * mutation, the audit entry it must leave. A route added to the app without a line here fails the
 * first test, so no route escapes the role and audit checks.
 */

type Access = 'public' | 'operator' | 'supervisor';
interface Ctx {
  caseId: string;
  /** The account the account routes act on. */
  account: string;
}
interface RouteSpec {
  access: Access;
  /** Concrete URL for the route pattern. */
  url?: (ctx: Ctx) => string;
  payload?: (ctx: Ctx) => unknown;
  /** For mutations: the audit stream and the action recorded. */
  audit?: { id: (ctx: Ctx) => string; action: string };
}

const SPECS: Record<string, RouteSpec> = {
  'POST /api/operator/login': { access: 'public', audit: { id: () => ACCOUNTS_AUDIT_ID, action: 'login' } },
  'POST /api/operator/logout': {
    access: 'operator',
    audit: { id: () => ACCOUNTS_AUDIT_ID, action: 'logout' },
  },
  'GET /api/operator/me': { access: 'operator' },
  'GET /api/operator/cases': { access: 'operator' },
  'GET /api/operator/cases/:id': { access: 'operator', url: (c) => `/api/operator/cases/${c.caseId}` },
  'POST /api/operator/cases/:id/claim': {
    access: 'operator',
    url: (c) => `/api/operator/cases/${c.caseId}/claim`,
    audit: { id: (c) => c.caseId, action: 'claim' },
  },
  'POST /api/operator/cases/:id/messages': {
    access: 'operator',
    url: (c) => `/api/operator/cases/${c.caseId}/messages`,
    payload: () => ({ text: 'Chúng tôi đang ở đây.' }),
    audit: { id: (c) => c.caseId, action: 'message' },
  },
  'POST /api/operator/cases/:id/notes': {
    access: 'operator',
    url: (c) => `/api/operator/cases/${c.caseId}/notes`,
    payload: () => ({ text: 'called back' }),
    audit: { id: (c) => c.caseId, action: 'note' },
  },
  'POST /api/operator/cases/:id/release': {
    access: 'operator',
    url: (c) => `/api/operator/cases/${c.caseId}/release`,
    audit: { id: (c) => c.caseId, action: 'release' },
  },
  'POST /api/operator/cases/:id/resolve': {
    access: 'operator',
    url: (c) => `/api/operator/cases/${c.caseId}/resolve`,
    payload: () => ({ outcome: 'advice_given' }),
    audit: { id: (c) => c.caseId, action: 'resolve' },
  },
  'GET /api/operator/events': { access: 'operator' },
  'GET /api/operator/accounts': { access: 'supervisor' },
  'POST /api/operator/accounts': {
    access: 'supervisor',
    payload: (c) => ({ name: c.account, role: 'operator' }),
    audit: { id: () => ACCOUNTS_AUDIT_ID, action: 'account_add' },
  },
  'POST /api/operator/accounts/:name/disable': {
    access: 'supervisor',
    url: (c) => `/api/operator/accounts/${c.account}/disable`,
    audit: { id: () => ACCOUNTS_AUDIT_ID, action: 'account_disable' },
  },
  'POST /api/operator/accounts/:name/reset': {
    access: 'supervisor',
    url: (c) => `/api/operator/accounts/${c.account}/reset`,
    audit: { id: () => ACCOUNTS_AUDIT_ID, action: 'account_reset' },
  },
  'GET /api/operator/stats': { access: 'supervisor' },
  'GET /api/operator/canned-replies': { access: 'operator' },
  'GET /api/operator/offers/clusters': { access: 'operator' },
  'POST /api/operator/offers/labels': {
    access: 'supervisor',
    payload: () => ({ target: '0912 345 678', label: 'scam' }),
    audit: { id: () => OFFERS_AUDIT_ID, action: 'offer_label' },
  },
};

const MUTATION_ORDER = [
  'POST /api/operator/login',
  'POST /api/operator/cases/:id/claim',
  'POST /api/operator/cases/:id/messages',
  'POST /api/operator/cases/:id/notes',
  'POST /api/operator/cases/:id/release',
  'POST /api/operator/cases/:id/resolve',
  'POST /api/operator/accounts',
  'POST /api/operator/accounts/:name/disable',
  'POST /api/operator/accounts/:name/reset',
  'POST /api/operator/offers/labels',
  'POST /api/operator/logout',
];

let t: TestServer;
const clock = new FakeClock();
let ctx: Ctx;
const sessions: Partial<Record<OperatorRole, { cookie: string; csrf: string }>> = {};

async function login(name: string, role: OperatorRole) {
  const { secret } = await t.server.container.operators.add(name, role, clock.now());
  const res = await t.server.app.inject({
    method: 'POST',
    url: '/api/operator/login',
    payload: { name, secret },
  });
  expect(res.statusCode).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'smb_op')!;
  return { cookie: `smb_op=${cookie.value}`, csrf: res.json().csrfToken as string, secret };
}

async function call(key: string, as: OperatorRole | 'anonymous'): Promise<LightMyRequestResponse> {
  const [method, pattern] = key.split(' ') as [string, string];
  const spec = SPECS[key]!;
  const session = as === 'anonymous' ? undefined : sessions[as];
  return t.server.app.inject({
    method: method as 'GET' | 'POST',
    url: spec.url ? spec.url(ctx) : pattern,
    headers: session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {},
    ...(spec.payload ? { payload: spec.payload(ctx) as object } : {}),
  });
}

async function openCase(userId: string): Promise<Case> {
  const { case: c } = await t.server.container.cases.createOrGetOpen(
    {
      level: 'high',
      channel: 'webchat',
      userId,
      chatId: userId,
      locale: 'vi',
      signals: ['confined'],
      transcript: [{ at: clock.now(), from: 'user', text: 'help' }],
    },
    clock.now(),
  );
  return c;
}

beforeAll(async () => {
  t = await startTestServer({ redis: true, clock });
  await t.server.app.ready();
  sessions.operator = await login('op1', 'operator');
  sessions.supervisor = await login('sup1', 'supervisor');
  ctx = { caseId: (await openCase('routesecurityuser000000001')).id, account: 'newcomer' };
});
afterAll(async () => {
  await t?.close();
});

const operatorRoutes = () =>
  routeTable(t.server.app)
    .filter((r) => r.url.startsWith('/api/operator'))
    .map((r) => `${r.method} ${r.url}`);

describe('operator routes from the app’s route table', () => {
  it('every operator route has an access level and, if it changes anything, an audit check here', () => {
    const routes = operatorRoutes();
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((r) => !SPECS[r])).toEqual([]);
    const mutations = routes.filter((r) => !r.startsWith('GET '));
    expect(mutations.filter((r) => !SPECS[r]?.audit)).toEqual([]);
    expect([...mutations].sort()).toEqual([...MUTATION_ORDER].sort());
  });

  it('an anonymous caller gets 401 on every route but login', async () => {
    for (const key of operatorRoutes().filter((r) => SPECS[r]?.access !== 'public')) {
      const res = await call(key, 'anonymous');
      expect({ key, status: res.statusCode }).toEqual({ key, status: 401 });
    }
  });

  it('an operator gets 403 on every supervisor route; a supervisor does not', async () => {
    const supervisorRoutes = operatorRoutes().filter((r) => SPECS[r]?.access === 'supervisor');
    expect(supervisorRoutes.length).toBeGreaterThanOrEqual(6);
    for (const key of supervisorRoutes) {
      const res = await call(key, 'operator');
      expect({ key, status: res.statusCode, code: res.json().error?.code }).toEqual({
        key,
        status: 403,
        code: 'FORBIDDEN',
      });
    }
    for (const key of supervisorRoutes) {
      const res = await call(key, 'supervisor');
      expect({ key, status: res.statusCode }).toEqual({
        key,
        status: res.statusCode < 400 ? res.statusCode : -1,
      });
    }
  });

  it('every mutation leaves an audit entry naming the actor and the action', async () => {
    ctx.account = 'newcomer2';
    for (const key of MUTATION_ORDER) {
      const spec = SPECS[key]!;
      const auditId = spec.audit!.id(ctx);
      const before = (await t.server.container.cases.readAudit(auditId)).length;
      let res: LightMyRequestResponse;
      let actor: string;
      if (key === 'POST /api/operator/login') {
        const { secret } = await t.server.container.operators.add('op2', 'operator', clock.now());
        res = await t.server.app.inject({
          method: 'POST',
          url: '/api/operator/login',
          payload: { name: 'op2', secret },
        });
        actor = 'op2';
      } else {
        const as = spec.access === 'supervisor' ? 'supervisor' : 'operator';
        res = await call(key, as);
        actor = as === 'supervisor' ? 'sup1' : 'op1';
      }
      expect({ key, status: res.statusCode }).toEqual({
        key,
        status: res.statusCode < 300 ? res.statusCode : -1,
      });
      const after = await t.server.container.cases.readAudit(auditId);
      expect(after.length, key).toBe(before + 1);
      expect(after.at(-1), key).toMatchObject({ actor, action: spec.audit!.action });
    }
  });

  it('a failed login is audited too (name only, never the secret tried)', async () => {
    const res = await t.server.app.inject({
      method: 'POST',
      url: '/api/operator/login',
      payload: { name: 'sup1', secret: 'not-the-secret-123' },
    });
    expect(res.statusCode).toBe(401);
    const last = (await t.server.container.cases.readAudit(ACCOUNTS_AUDIT_ID)).at(-1);
    expect(last).toMatchObject({ actor: 'sup1', action: 'login_failed' });
    expect(JSON.stringify(last)).not.toContain('not-the-secret-123');
  });
});
