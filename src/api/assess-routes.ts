import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RedisClient } from '../adapters/redis/redis-client.js';
import { detectDistress } from '../core/distress/detect.js';
import { distressBesideOffer } from '../core/distress/offer-context.js';
import type { OfferChecker } from '../core/offers/check.js';
import { RequestError } from '../errors.js';
import { extraLimit, limitPerAddress } from '../http/rate-limit.js';
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
 * organisations' tools. API key required (ASSESS_API_KEYS), rate limited per client address (before
 * the key is even checked, so guessing keys costs the guesser) and per key.
 */
export async function assessRoutes(
  app: FastifyInstance,
  options: {
    checker: OfferChecker;
    apiKeys: string[];
    redis: RedisClient | undefined;
    /** Key prefix of the rate-limit counters (keys.rateLimit('assess')). */
    rateLimitNameSpace: string;
    /** Requests per minute per address, and per key. */
    requestsPerMinute: number;
  },
): Promise<void> {
  await limitPerAddress(app, {
    max: options.requestsPerMinute,
    redis: options.redis,
    nameSpace: options.rateLimitNameSpace,
  });
  // A key's budget is keyed by a digest: the key itself never becomes a Redis key name.
  const perKey = extraLimit(app, {
    max: options.requestsPerMinute,
    what: 'key',
    key: (request) =>
      createHash('sha256')
        .update(presentedKey(request) ?? '')
        .digest('base64url')
        .slice(0, 22),
  });

  app.post(
    '/api/v1/assess',
    {
      bodyLimit: 64 * 1024,
      preHandler: perKey,
      // After the address's limit (onRequest), before the body is read.
      preParsing: async (request, _reply, payload) => {
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
        return payload;
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
