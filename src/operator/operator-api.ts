import { createHash, timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { createKeys, type Keys } from '../adapters/redis/keys.js';
import type { RedisClient } from '../adapters/redis/redis-client.js';
import type { AppPlugin } from '../app.js';
import type { Config } from '../config.js';
import { CASE_STATES, type Case, type CaseSummary } from '../core/cases/case.js';
import { slaStatus, waitingMs } from '../core/cases/sla.js';
import { computeCaseStats } from '../core/cases/stats.js';
import type { CaseChange, CaseRefusal } from '../core/cases/transitions.js';
import type { Locale } from '../core/locale.js';
import { AccountExistsError, RequestError } from '../errors.js';
import { limitPerAddress } from '../http/rate-limit.js';
import { openEventStream } from '../http/sse.js';
import type { CaseStore } from '../ports/case-store.js';
import type { Clock } from '../ports/clock.js';
import type { EventBus, OperatorEventType } from '../ports/event-bus.js';
import {
  OPERATOR_NAME,
  OPERATOR_ROLES,
  type OperatorRole,
  type OperatorSession,
  type OperatorStore,
} from '../ports/operator-store.js';
import type { StatsStore } from '../ports/stats-store.js';
import { readActivityStats } from '../runtime/activity-stats.js';
import { LoginGuard } from './login-guard.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'smb_op';

/** Audit stream (a pseudo case id) for account changes and logins. */
export const ACCOUNTS_AUDIT_ID = '_accounts';

/** What the operator API needs. The integrator implements `relay` and `onResolved`. */
export interface OperatorApiDeps {
  cases: CaseStore;
  operators: OperatorStore;
  events: EventBus;
  clock: Clock;
  config: Config;
  /**
   * Sends an operator's message to the user through the outbox of the case's channel, marked as
   * from the hotline team. The API has already appended the transcript entry `entryId` (delivery
   * `queued`); the outbox should later call `cases.setDelivery(c.id, entryId, 'sent'|'failed')`.
   * A throw marks the entry failed and answers 502.
   */
  relay: (c: Case, text: string, operatorName: string, entryId: string) => Promise<unknown>;
  /** Sends the user the closing message once a case is resolved (errors are logged, not returned). */
  onResolved: (c: Case) => Promise<void>;
  logger: Logger;
  /** When set, rate limits are counted in Redis (shared by every web process). */
  redis?: RedisClient;
  keys?: Keys;
  /** Requests per minute per address (default RATE_LIMIT_OPERATOR); login has RATE_LIMIT_LOGIN. */
  requestsPerMinute?: number;
  /** SSE keep-alive comment interval (default 15 s). */
  heartbeatMs?: number;
  /** Daily conversation counters: when set, /stats adds offers per day, top red flags and lessons. */
  stats?: StatsStore;
  /** A red flag's name in each language, shown on the dashboard instead of its id. */
  flagName?: (id: string) => Record<Locale, string> | undefined;
}

interface Identity {
  name: string;
  role: OperatorRole;
  via: 'session' | 'bearer';
  session?: OperatorSession;
}

const idParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a case id') });
const nameParam = z.object({ name: z.string().regex(OPERATOR_NAME, 'must be an account name') });
const stateQuery = z.object({
  state: z
    .enum(CASE_STATES as [string, ...string[]], { message: 'must be waiting, claimed or resolved' })
    .default('waiting'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
const loginBody = z.object({
  name: z.string().regex(OPERATOR_NAME, 'must be an account name'),
  secret: z.string().min(1, 'is required').max(200, 'is too long'),
});
const textBody = z.object({
  text: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
});
const accountBody = z.object({
  name: z
    .string()
    .regex(OPERATOR_NAME, 'must be 1-40 characters of A-Z a-z 0-9 _ . - (starting with a letter or digit)'),
  role: z.enum(OPERATOR_ROLES as [OperatorRole, ...OperatorRole[]], {
    message: 'must be operator or supervisor',
  }),
});

const REFUSAL_STATUS: Record<CaseRefusal, [number, string]> = {
  not_found: [404, 'No such case.'],
  conflict: [409, 'The case is not in a state that allows this (someone else may have it).'],
  not_assignee: [403, 'Only the operator who claimed the case may do this.'],
  resolved: [409, 'The case is already resolved.'],
};

function refuse(reason: CaseRefusal): never {
  const [status, message] = REFUSAL_STATUS[reason];
  throw new RequestError(status, reason.toUpperCase(), message);
}

function changed(result: CaseChange): Case {
  if (!result.ok) refuse(result.reason);
  return result.case;
}

/** Constant time, length included: both sides are hashed to 32 bytes first. */
function sameToken(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/**
 * The operator REST API under /api/operator/: login and sessions (cookie + CSRF token) or Bearer
 * secrets, the case queue, claims, messages to the user, notes, resolution, live events (SSE), and
 * for supervisors accounts and statistics. Every mutation is audited.
 */
export function operatorApi(deps: OperatorApiDeps): AppPlugin {
  return async (app: FastifyInstance) => {
    const { cases, operators, events, clock, config, logger } = deps;
    const identities = new WeakMap<FastifyRequest, Identity>();
    const base = '/api/operator';
    const policy = config.operators.slaSeconds;

    await app.register(cookie);
    await limitPerAddress(app, {
      max: deps.requestsPerMinute ?? config.http.rateLimits.operator,
      redis: deps.redis,
      nameSpace: (deps.keys ?? createKeys(config.keyPrefix)).operatorRateLimit(),
    });

    const audit = async (actor: string, action: string, caseId: string, detail?: string) => {
      const at = clock.now();
      await cases.audit(
        detail === undefined ? { at, actor, action, caseId } : { at, actor, action, caseId, detail },
      );
    };
    const publish = async (type: OperatorEventType, c?: Pick<Case, 'id' | 'level'>) => {
      await events
        .publish(c ? { type, caseId: c.id, level: c.level, at: clock.now() } : { type, at: clock.now() })
        .catch((error: Error) =>
          logger.warn({ err: { message: error.message }, type }, 'event publish failed'),
        );
    };
    const withSla = (c: CaseSummary) => ({
      ...c,
      sla: slaStatus(c, clock.now(), policy),
      waitingSeconds: Math.round(waitingMs(c, clock.now()) / 1000),
    });

    const guard = new LoginGuard(operators);

    const identify = async (request: FastifyRequest): Promise<Identity> => {
      const header = request.headers.authorization;
      if (header?.startsWith('Bearer ')) {
        await guard.check(request.ip, undefined, clock.now());
        const account = await operators.verify(undefined, header.slice(7).trim());
        if (!account) {
          await guard.failed(request.ip, undefined, clock.now());
          throw new RequestError(401, 'UNAUTHORIZED', 'The token is not valid.');
        }
        return { name: account.name, role: account.role, via: 'bearer' };
      }
      const sessionId = request.cookies[SESSION_COOKIE];
      const session = sessionId ? await operators.getSession(sessionId, clock.now()) : null;
      if (!session) throw new RequestError(401, 'UNAUTHORIZED', 'Please log in.');
      const account = await operators.get(session.name);
      if (!account || account.disabled)
        throw new RequestError(401, 'UNAUTHORIZED', 'This account is disabled.');
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        const token = request.headers['x-csrf-token'];
        if (typeof token !== 'string' || !sameToken(token, session.csrfToken)) {
          throw new RequestError(403, 'CSRF', 'Missing or wrong x-csrf-token header.');
        }
      }
      return { name: account.name, role: account.role, via: 'session', session };
    };

    app.addHook('preHandler', async (request) => {
      if (request.routeOptions.url === `${base}/login`) return;
      if (!request.routeOptions.url?.startsWith(`${base}/`)) return;
      identities.set(request, await identify(request));
    });

    const who = (request: FastifyRequest): Identity => {
      const id = identities.get(request);
      if (!id) throw new RequestError(401, 'UNAUTHORIZED', 'Please log in.');
      return id;
    };
    const supervisor = (request: FastifyRequest): Identity => {
      const id = who(request);
      if (id.role !== 'supervisor') throw new RequestError(403, 'FORBIDDEN', 'Supervisors only.');
      return id;
    };

    app.post(
      `${base}/login`,
      { config: { rateLimit: { max: config.http.rateLimits.login, timeWindow: 60_000 } } },
      async (request, reply) => {
        const body = loginBody.parse(request.body ?? {});
        const now = clock.now();
        // Locked per address (and per name at an address), never per name alone: see LoginGuard.
        await guard.check(request.ip, body.name, now);
        const account = await operators.verify(body.name, body.secret);
        if (!account) {
          const set = await guard.failed(request.ip, body.name, now);
          logger.info({ operator: body.name, lockout: set }, 'operator login failed');
          await audit(
            body.name,
            'login_failed',
            ACCOUNTS_AUDIT_ID,
            set.length > 0 ? set.join(',') : undefined,
          );
          throw new RequestError(401, 'UNAUTHORIZED', 'Wrong name or secret.');
        }
        await guard.succeeded(request.ip, account.name);
        // Session fixation: whatever session id the browser brought is never adopted. A login
        // always gets a fresh id, and the id presented (planted or old) stops working now.
        const presented = request.cookies[SESSION_COOKIE];
        if (presented) await operators.deleteSession(presented);
        const session = await operators.createSession(account.name, now);
        reply.setCookie(SESSION_COOKIE, session.id, {
          httpOnly: true,
          sameSite: 'strict',
          secure: config.production,
          path: '/',
          maxAge: config.operators.sessionHours * 3600,
        });
        await audit(account.name, 'login', ACCOUNTS_AUDIT_ID);
        return { name: account.name, role: account.role, csrfToken: session.csrfToken };
      },
    );

    app.post(`${base}/logout`, async (request, reply) => {
      const id = who(request);
      if (id.session) await operators.deleteSession(id.session.id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      await audit(id.name, 'logout', ACCOUNTS_AUDIT_ID);
      return { ok: true };
    });

    app.get(`${base}/me`, async (request) => {
      const id = who(request);
      return id.session
        ? { name: id.name, role: id.role, csrfToken: id.session.csrfToken }
        : { name: id.name, role: id.role };
    });

    app.get(`${base}/cases`, async (request) => {
      who(request);
      const query = stateQuery.parse(request.query ?? {});
      const list = await cases.list(query.state as Case['state'], query.limit);
      return { cases: list.map(withSla) };
    });

    app.get(`${base}/cases/:id`, async (request) => {
      who(request);
      const { id } = idParam.parse(request.params);
      const c = await cases.get(id);
      if (!c) refuse('not_found');
      return { case: withSla(c), audit: await cases.readAudit(id, 200) };
    });

    app.post(`${base}/cases/:id/claim`, async (request) => {
      const me = who(request);
      const { id } = idParam.parse(request.params);
      const c = changed(await cases.claim(id, me.name, clock.now()));
      await audit(me.name, 'claim', id);
      await publish('case_claimed', c);
      return { case: withSla(c) };
    });

    app.post(`${base}/cases/:id/release`, async (request) => {
      const me = who(request);
      const { id } = idParam.parse(request.params);
      const operator = me.role === 'supervisor' ? undefined : me.name;
      const c = changed(await cases.release(id, operator, clock.now()));
      await audit(me.name, 'release', id);
      await publish('case_released', c);
      return { case: withSla(c) };
    });

    app.post(`${base}/cases/:id/messages`, { bodyLimit: 32 * 1024 }, async (request, reply) => {
      const me = who(request);
      const { id } = idParam.parse(request.params);
      const { text } = textBody.parse(request.body ?? {});
      const current = await cases.get(id);
      if (!current) refuse('not_found');
      if (current.state !== 'claimed') refuse(current.state === 'resolved' ? 'resolved' : 'conflict');
      if (current.assignee !== me.name) refuse('not_assignee');
      const now = clock.now();
      const [entry] = await cases.appendTranscript(id, [
        { at: now, from: 'operator', author: me.name, text, delivery: 'queued' },
      ]);
      if (!entry) refuse('not_found');
      const c = changed(await cases.touchOperator(id, now));
      await audit(me.name, 'message', id, `entry=${entry.id}`);
      try {
        await deps.relay(c, text, me.name, entry.id);
      } catch (error) {
        await cases.setDelivery(id, entry.id, 'failed', 'relay_failed');
        logger.warn(
          { err: { message: (error as Error).message }, caseId: id },
          'operator message relay failed',
        );
        await publish('message', c);
        return reply.code(502).send({
          error: { code: 'RELAY_FAILED', message: 'The message could not be queued for the user.' },
          entryId: entry.id,
        });
      }
      await publish('message', c);
      return { entryId: entry.id };
    });

    app.post(`${base}/cases/:id/notes`, { bodyLimit: 32 * 1024 }, async (request) => {
      const me = who(request);
      const { id } = idParam.parse(request.params);
      const { text } = textBody.parse(request.body ?? {});
      const now = clock.now();
      let c = changed(await cases.addNote(id, me.name, text, now));
      if (c.state === 'claimed' && c.assignee === me.name) c = changed(await cases.touchOperator(id, now));
      await audit(me.name, 'note', id);
      await publish('case_updated', c);
      return { case: withSla(c) };
    });

    app.post(`${base}/cases/:id/resolve`, async (request) => {
      const me = who(request);
      const { id } = idParam.parse(request.params);
      const outcomes = config.operators.outcomes;
      const body = z
        .object({
          outcome: z.enum(outcomes as [string, ...string[]], {
            message: `must be one of ${outcomes.join(', ')}`,
          }),
        })
        .parse(request.body ?? {});
      const operator = me.role === 'supervisor' ? undefined : me.name;
      const c = changed(await cases.resolve(id, operator, body.outcome, clock.now()));
      await audit(me.name, 'resolve', id, `outcome=${body.outcome}`);
      await publish('case_resolved', c);
      await deps
        .onResolved(c)
        .catch((error: Error) =>
          logger.warn({ err: { message: error.message }, caseId: id }, 'closing message failed'),
        );
      if (c.forgetRequested) {
        // They asked to be forgotten while the case was open: now that it is closed (and the
        // closing message queued), nothing that names or quotes them stays.
        const forgotten = changed(await cases.forgetPerson(id, clock.now()));
        await audit('system', 'person_forgotten', id);
        return { case: withSla(forgotten) };
      }
      return { case: withSla(c) };
    });

    app.get(`${base}/events`, async (request, reply) => {
      who(request);
      streamEvents(request, reply, events, deps.heartbeatMs ?? 15_000);
    });

    app.get(`${base}/accounts`, async (request) => {
      supervisor(request);
      return { accounts: await operators.list() };
    });

    app.post(`${base}/accounts`, async (request, reply) => {
      const me = supervisor(request);
      const body = accountBody.parse(request.body ?? {});
      try {
        const created = await operators.add(body.name, body.role, clock.now());
        await audit(me.name, 'account_add', ACCOUNTS_AUDIT_ID, `name=${body.name} role=${body.role}`);
        return reply.code(201).send(created);
      } catch (error) {
        if (error instanceof AccountExistsError) throw new RequestError(409, error.code, error.message);
        throw error;
      }
    });

    app.post(`${base}/accounts/:name/disable`, async (request) => {
      const me = supervisor(request);
      const { name } = nameParam.parse(request.params);
      if (!(await operators.disable(name))) throw new RequestError(404, 'NOT_FOUND', 'No such account.');
      await audit(me.name, 'account_disable', ACCOUNTS_AUDIT_ID, `name=${name}`);
      return { ok: true };
    });

    app.post(`${base}/accounts/:name/reset`, async (request) => {
      const me = supervisor(request);
      const { name } = nameParam.parse(request.params);
      const secret = await operators.reset(name);
      if (!secret) throw new RequestError(404, 'NOT_FOUND', 'No such account.');
      await audit(me.name, 'account_reset', ACCOUNTS_AUDIT_ID, `name=${name}`);
      return { name, secret };
    });

    app.get(`${base}/stats`, async (request) => {
      supervisor(request);
      const all = [
        ...(await cases.list('waiting', 10_000)),
        ...(await cases.list('claimed', 10_000)),
        ...(await cases.list('resolved', 10_000)),
      ];
      const caseStats = computeCaseStats(all, policy, clock.now());
      if (!deps.stats) return caseStats;
      return {
        ...caseStats,
        ...(await readActivityStats(deps.stats, clock.now(), {
          timeZone: config.timeZone,
          flagName: deps.flagName,
        })),
      };
    });
  };
}

/** Server-Sent Events: one `event: <type>` per operator event (no text), plus keep-alive comments. */
function streamEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  events: EventBus,
  heartbeatMs: number,
): void {
  let unsubscribe = () => {};
  const stream = openEventStream(request, reply, { heartbeatMs, onClose: () => unsubscribe() });
  unsubscribe = events.subscribe((event) => {
    stream.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  });
  // Tell the page it is live once this process receives events.
  void events.subscribed().then(() => stream.write(': ready\n\n'));
}
