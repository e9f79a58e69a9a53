import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import cors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { extraLimit, limitPerAddress } from '../../http/rate-limit.js';
import { openEventStream } from '../../http/sse.js';
import type { Inbox } from '../../pipeline/inbox.js';
import type { WebchatMailbox } from '../../ports/webchat-mailbox.js';
import type { SafetyNet } from '../../runtime/safety-net.js';
import type { RedisClient } from '../redis/redis-client.js';
import { SESSION_PATTERN, webchatMessageSchema } from './webchat-adapter.js';

export interface WebchatRoutesOptions {
  inbox: Inbox;
  safetyNet: SafetyNet;
  mailbox: WebchatMailbox;
  webRoot: string;
  allowedOrigins: string[];
  /** Messages per minute per chat session. */
  messagesPerMinute: number;
  /** Requests per minute per client address on every web chat route (pages, API, stream). */
  requestsPerMinute: number;
  redis: RedisClient | undefined;
  /** Key prefix of the rate-limit counters (keys.rateLimit('webchat')). */
  rateLimitNameSpace: string;
  heartbeatMs?: number;
}

const eventsQuery = z.object({ session: z.string().regex(SESSION_PATTERN) });

/**
 * The web chat: the page at /chat, and its small API. Messages go through the same inbox as every
 * other channel; replies come back over Server-Sent Events from the session's mailbox.
 */
export async function webchatRoutes(app: FastifyInstance, options: WebchatRoutesOptions): Promise<void> {
  const { inbox, mailbox } = options;

  // First, so that every route below (assets included) counts against the address's budget.
  await limitPerAddress(app, {
    max: options.requestsPerMinute,
    redis: options.redis,
    nameSpace: options.rateLimitNameSpace,
  });
  // A session id is the web chat user's id: only an unkeyed digest of it reaches a counter's key.
  const perSession = extraLimit(app, {
    max: options.messagesPerMinute,
    what: 'session',
    key: (request) => {
      const session = sessionOf(request.body);
      return session ? createHash('sha256').update(session).digest('base64url').slice(0, 22) : 'none';
    },
  });

  await app.register(fastifyStatic, {
    root: join(options.webRoot, 'chat'),
    prefix: '/chat/assets/',
    decorateReply: true,
    maxAge: '1h',
  });

  // Other sites may embed the chat only when their origin is on the allow-list.
  await app.register(cors, {
    origin: (origin, done) => {
      if (!origin) return done(null, true);
      done(null, options.allowedOrigins.includes(origin));
    },
    methods: ['GET', 'POST'],
  });

  app.get('/chat', async (_request, reply) => {
    return reply.sendFile('index.html', join(options.webRoot, 'chat'), { maxAge: 0 });
  });

  app.post('/chat/api/session', { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async () => ({
    session: randomBytes(18).toString('base64url'),
  }));

  app.post(
    '/chat/api/messages',
    {
      bodyLimit: 16 * 1024,
      // The address's budget is counted on arrival; the session's once the body is read.
      preHandler: perSession,
    },
    async (request, reply) => {
      const message = webchatMessageSchema.parse(request.body);
      try {
        const status = await inbox.accept('webchat', `${message.session}:${message.id}`, message);
        return reply.code(202).send({ status });
      } catch (error) {
        // Nothing could be stored. Someone in danger still gets the numbers now; the page retries
        // the same message (same id) until it is stored, and then the case is opened.
        request.log.error({ err: error }, 'web chat message not stored');
        const safety = message.text
          ? options.safetyNet.replyFor(message.text, message.lang ?? 'vi')
          : undefined;
        return reply.code(503).send({
          error: {
            code: 'STORE_UNAVAILABLE',
            message: 'Temporarily unavailable; the page retries by itself.',
          },
          ...(safety ? { safety: { text: safety } } : {}),
        });
      }
    },
  );

  app.get('/chat/api/events', async (request, reply) => {
    const { session } = eventsQuery.parse(request.query);
    const lastEventId = request.headers['last-event-id'];
    await streamMailbox(
      request,
      reply,
      mailbox,
      session,
      typeof lastEventId === 'string' ? lastEventId : undefined,
      options.heartbeatMs ?? 15_000,
    );
  });
}

function sessionOf(body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'session' in body) {
    const session = (body as { session: unknown }).session;
    if (typeof session === 'string' && SESSION_PATTERN.test(session)) return session;
  }
  return undefined;
}

async function streamMailbox(
  request: FastifyRequest,
  reply: FastifyReply,
  mailbox: WebchatMailbox,
  session: string,
  lastEventId: string | undefined,
  heartbeatMs: number,
): Promise<void> {
  let unsubscribe = () => {};
  const stream = openEventStream(request, reply, { heartbeatMs, onClose: () => unsubscribe() });

  let cursor = lastEventId;
  let reading = false;
  let again = false;
  const flush = async () => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        const items = await mailbox.readAfter(session, cursor, 100);
        for (const item of items) {
          stream.write(`id: ${item.eventId}\nevent: reply\ndata: ${JSON.stringify(item.reply)}\n\n`);
          cursor = item.eventId;
        }
        if (items.length === 100) again = true;
      } while (again);
    } catch (error) {
      request.log.warn({ err: error }, 'web chat stream read failed');
    } finally {
      reading = false;
    }
  };

  unsubscribe = mailbox.subscribe(session, () => void flush());
  await flush();
}
