import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RedisClient } from '../adapters/redis/redis-client.js';
import { detectDistress } from '../core/distress/detect.js';
import { distressBesideOffer } from '../core/distress/offer-context.js';
import type { OfferChecker } from '../core/offers/check.js';
import { RequestError } from '../errors.js';
import { secretMatches } from './secret-compare.js';

const bodySchema = z.object({
  text: z.string().min(1, 'must not be empty').max(20_000, 'must be at most 20,000 characters'),
  lang: z.enum(['vi', 'en']).optional(),
});

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}

/**
 * POST /api/v1/assess: the rules checker and the distress detector over HTTP, for partner
 * organisations' tools. API key required (ASSESS_API_KEYS), rate limited per key.
 */
export async function assessRoutes(
  app: FastifyInstance,
  options: { checker: OfferChecker; apiKeys: string[]; redis: RedisClient | undefined; redisPrefix: string },
): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    redis: options.redis as never,
    nameSpace: `${options.redisPrefix}:rl-assess:`,
    skipOnError: true,
  });

  app.post(
    '/api/v1/assess',
    {
      bodyLimit: 64 * 1024,
      config: {
        rateLimit: {
          max: 120,
          timeWindow: '1 minute',
          keyGenerator: (request: FastifyRequest) => presentedKey(request) ?? request.ip,
        },
      },
      onRequest: async (request) => {
        if (options.apiKeys.length === 0) {
          throw new RequestError(
            401,
            'API_KEY_REQUIRED',
            'No API keys are configured on this server (ASSESS_API_KEYS).',
          );
        }
        if (!secretMatches(presentedKey(request), options.apiKeys)) {
          throw new RequestError(
            401,
            'API_KEY_INVALID',
            'Send a valid key as "Authorization: Bearer <key>".',
          );
        }
      },
    },
    async (request) => {
      const { text, lang } = bodySchema.parse(request.body);
      const a = options.checker.check(text, lang ?? 'vi');
      const distress = distressBesideOffer(detectDistress(text), a.isOffer);
      return {
        offer: {
          isOffer: a.isOffer,
          level: a.level,
          score: a.score,
          flags: a.flags.map((f) => ({ id: f.id, severity: f.severity, evidence: f.evidence })),
          notes: a.notes,
        },
        distress: { level: distress.level, signals: distress.signals },
      };
    },
  );
}
