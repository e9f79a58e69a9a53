import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RedisClient } from '../adapters/redis/redis-client.js';
import { RequestError } from '../errors.js';

/**
 * Per-address rate limits of the public HTTP routes (@fastify/rate-limit). With Redis the counts
 * live there, so every web process shares one budget per address. The Telegram webhook never gets
 * one: a 429 makes Telegram back off and holds back every chat (see PLATFORMS.md).
 */

export interface AddressLimit {
  /** Requests per window per client address (request.ip, which honours TRUST_PROXY). */
  max: number;
  /** Where the counters live; undefined: in this process. */
  redis: RedisClient | undefined;
  /** Key prefix of the counters (from keys.rateLimit). Scopes with one name share one budget. */
  nameSpace: string;
  timeWindowMs?: number;
}

/** The 429 body every limited route answers with, in the app's error shape. */
export function rateLimitedError(_request: FastifyRequest, context: { after: string }): RequestError {
  return new RequestError(
    429,
    'RATE_LIMITED',
    `Too many requests from this address; please retry in ${context.after}.`,
  );
}

/**
 * Limits every route registered after this call in the scope `app` (call it before the routes).
 * A route's own `config.rateLimit` replaces the scope's limit for that route. When Redis fails the
 * request passes (`skipOnError`): a person in danger must never be refused for our outage.
 */
export async function limitPerAddress(app: FastifyInstance, limit: AddressLimit): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: limit.max,
    timeWindow: limit.timeWindowMs ?? 60_000,
    redis: limit.redis as never,
    nameSpace: limit.nameSpace,
    skipOnError: true,
    errorResponseBuilder: rateLimitedError,
  });
}

/**
 * A second limit with its own key (a chat session, an API key), checked where it is called (e.g. a
 * preHandler, once the body is parsed). Needs `limitPerAddress` registered in the scope.
 */
export function extraLimit(
  app: FastifyInstance,
  options: { max: number; timeWindowMs?: number; key: (request: FastifyRequest) => string; what: string },
): (request: FastifyRequest) => Promise<void> {
  const check = app.createRateLimit({
    max: options.max,
    timeWindow: options.timeWindowMs ?? 60_000,
    keyGenerator: (request: FastifyRequest) => `${options.what}:${options.key(request)}`,
  });
  return async (request) => {
    const result = await check(request);
    if (!result.isAllowed && result.isExceeded) {
      throw new RequestError(
        429,
        'RATE_LIMITED',
        `Too many requests for this ${options.what}; please retry in ${Math.max(1, result.ttlInSeconds)} seconds.`,
      );
    }
  };
}
