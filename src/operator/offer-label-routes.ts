import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppPlugin } from '../app.js';
import type { TextCatalogue } from '../core/content.js';
import type { ChannelName } from '../core/user-ref.js';
import { RequestError } from '../errors.js';
import type { CaseStore } from '../ports/case-store.js';
import type { Clock } from '../ports/clock.js';
import type { DurableQueue } from '../ports/durable-queue.js';
import { OFFER_LABELS, type OfferLabel } from '../ports/offer-memory.js';
import type { OperatorRole, OperatorStore } from '../ports/operator-store.js';
import { deliverLabelNotifications } from '../runtime/offer-memory-effects.js';
import type { OfferMemoryService } from '../runtime/offer-memory-service.js';
import { readCookie } from './canned-replies-routes.js';
import { LoginGuard } from './login-guard.js';
import { SESSION_COOKIE } from './operator-api.js';

/** Audit stream (a pseudo case id) of offer labels. */
export const OFFERS_AUDIT_ID = '_offers';

/** What the offer label routes need. */
export interface OfferLabelRoutesDeps {
  offerMemory: OfferMemoryService;
  operators: OperatorStore;
  cases: CaseStore;
  clock: Clock;
  /** Where the notices to subscribers go, and their texts. */
  outbox: (channel: ChannelName) => DurableQueue;
  texts: TextCatalogue;
}

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
const labelBody = z.object({
  target: z.string().trim().min(1, 'is required').max(200, 'is too long'),
  label: z.enum(OFFER_LABELS, { message: `must be one of ${OFFER_LABELS.join(', ')}` }),
});

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Who is asking, with the operator API's rules: a console session cookie (plus the x-csrf-token
 * header on anything but GET) or a Bearer secret, a disabled account refused, failed Bearer
 * secrets counted towards the same lockout.
 */
export function operatorIdentity(
  operators: OperatorStore,
  clock: Clock,
): (request: FastifyRequest) => Promise<{ name: string; role: OperatorRole }> {
  const guard = new LoginGuard(operators);
  return async (request) => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      await guard.check(request.ip, undefined, clock.now());
      const account = await operators.verify(undefined, header.slice(7).trim());
      if (!account) {
        await guard.failed(request.ip, undefined, clock.now());
        throw new RequestError(401, 'UNAUTHORIZED', 'The token is not valid.');
      }
      return { name: account.name, role: account.role };
    }
    const sessionId = readCookie(request.headers.cookie, SESSION_COOKIE);
    const session = sessionId ? await operators.getSession(sessionId, clock.now()) : null;
    if (!session) throw new RequestError(401, 'UNAUTHORIZED', 'Please log in.');
    const account = await operators.get(session.name);
    if (!account || account.disabled)
      throw new RequestError(401, 'UNAUTHORIZED', 'This account is disabled.');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const token = request.headers['x-csrf-token'];
      if (typeof token !== 'string' || !sameToken(token, session.csrfToken))
        throw new RequestError(403, 'CSRF', 'Missing or wrong x-csrf-token header.');
    }
    return { name: account.name, role: account.role };
  };
}

/**
 * The console's offer labels page: GET /api/operator/offers/clusters (any operator: the most
 * forwarded offer clusters and most seen contacts, as keyed hashes only) and
 * POST /api/operator/offers/labels {target, label} (supervisors: labels a cluster or contact, tells
 * the people who asked to be told, and audits it under `_offers`).
 */
export function offerLabelRoutes(deps: OfferLabelRoutesDeps): AppPlugin {
  return async (app: FastifyInstance) => {
    const identify = operatorIdentity(deps.operators, deps.clock);

    app.get('/api/operator/offers/clusters', async (request) => {
      await identify(request);
      const { limit } = listQuery.parse(request.query ?? {});
      return deps.offerMemory.list(limit);
    });

    app.post('/api/operator/offers/labels', { bodyLimit: 4 * 1024 }, async (request) => {
      const me = await identify(request);
      if (me.role !== 'supervisor') throw new RequestError(403, 'FORBIDDEN', 'Supervisors only.');
      const body = labelBody.parse(request.body ?? {});
      const outcome = await deps.offerMemory.label(body.target, body.label as OfferLabel, me.name);
      if (!outcome)
        throw new RequestError(
          400,
          'INVALID_TARGET',
          'Not a cluster id, contact hash, phone number, @handle or link.',
        );
      const notified = await deliverLabelNotifications(outcome, {
        outbox: deps.outbox,
        texts: deps.texts,
        clock: deps.clock,
      });
      // The target is a cluster id or a keyed hash: a contact typed in clear never reaches the audit.
      await deps.cases.audit({
        at: deps.clock.now(),
        actor: me.name,
        action: 'offer_label',
        caseId: OFFERS_AUDIT_ID,
        detail: `${outcome.kind}=${outcome.target} label=${outcome.record.label} notified=${notified}`,
      });
      return {
        kind: outcome.kind,
        target: outcome.target,
        label: outcome.record.label,
        by: outcome.record.by,
        at: outcome.record.at,
        notified,
      };
    });
  };
}
