import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CannedReplies } from '../content/canned-replies.js';
import { LOCALES } from '../core/locale.js';

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
export async function cannedRepliesRoutes(app: FastifyInstance, options: CannedRepliesRoutesOptions): Promise<void> {
  app.get('/api/operator/canned-replies', async (request, reply) => {
    if (!(await options.authorize(request)))
      return reply.code(401).send({ error: { code: 'UNAUTHENTICATED', message: 'Please log in.' } });
    const { lang } = query.parse(request.query);
    return { lang, replies: options.replies[lang] };
  });
}
