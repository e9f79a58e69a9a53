import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CannedReplies } from '../content/canned-replies.js';
import { LOCALES } from '../core/locale.js';
import type { Clock } from '../ports/clock.js';
import type { OperatorStore } from '../ports/operator-store.js';
import { LoginGuard } from './login-guard.js';

/** The console session cookie, set by the operator API at login. */
const SESSION_COOKIE = 'smb_op';

export interface CannedRepliesRoutesOptions {
  replies: CannedReplies;
  /**
   * True when the request comes from a signed-in operator. The replies hold only public hotline
   * numbers, but the operator API stays closed to strangers.
   */
  authorize: (request: FastifyRequest) => Promise<boolean>;
}

const query = z.object({ lang: z.enum(LOCALES).default('vi') });

/** GET /api/operator/canned-replies?lang=vi|en: the ready-made replies of the console. */
export async function cannedRepliesRoutes(
  app: FastifyInstance,
  options: CannedRepliesRoutesOptions,
): Promise<void> {
  app.get('/api/operator/canned-replies', async (request, reply) => {
    if (!(await options.authorize(request)))
      return reply.code(401).send({ error: { code: 'UNAUTHENTICATED', message: 'Please log in.' } });
    const { lang } = query.parse(request.query);
    return { lang, replies: options.replies[lang] };
  });
}

/**
 * True when the request carries a live console session cookie (or an operator's Bearer secret).
 * Throws 429 LOCKED_OUT for an address locked after too many wrong secrets.
 */
export function operatorSessionAuthorizer(
  operators: OperatorStore,
  clock: Clock,
): (request: FastifyRequest) => Promise<boolean> {
  const guard = new LoginGuard(operators);
  return async (request) => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      // Wrong secrets here count towards the same address lockout as everywhere else.
      await guard.check(request.ip, undefined, clock.now());
      if ((await operators.verify(undefined, header.slice(7).trim())) !== null) return true;
      await guard.failed(request.ip, undefined, clock.now());
      return false;
    }
    const id = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!id) return false;
    const session = await operators.getSession(id, clock.now());
    if (!session) return false;
    const account = await operators.get(session.name);
    return account !== null && !account.disabled;
  };
}

/** One cookie from a Cookie header (the console routes outside the operator API read it themselves). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
