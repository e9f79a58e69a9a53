import { join } from 'node:path';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export interface ConsoleRoutesOptions {
  /** The web/ folder; the console lives in web/console. */
  webRoot: string;
  /** Seconds within which a waiting case should be claimed, per level (config.operators.slaSeconds). */
  slaSeconds: { imminent: number; high: number; concern: number };
  /** Outcomes an operator may close a case with (config.caseOutcomes). */
  outcomes: string[];
}

/**
 * The operator console at /console: a static page, its assets and its public settings, behind a
 * strict Content-Security-Policy. Everything is served from here: an operator's browser may sit on
 * a restricted network, and no third party may see that a case is open.
 */
export async function consoleRoutes(app: FastifyInstance, options: ConsoleRoutesOptions): Promise<void> {
  const root = join(options.webRoot, 'console');

  // Registered in this plugin's scope only: the chat page keeps its own, embeddable, policy.
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });

  await app.register(fastifyStatic, {
    root,
    prefix: '/console/assets/',
    decorateReply: true,
    // Short: a fixed console must reach every operator the same day.
    maxAge: '5m',
  });

  const page = async (_request: unknown, reply: import('fastify').FastifyReply) => {
    reply.header('cache-control', 'no-store');
    return reply.sendFile('index.html', root, { maxAge: 0 });
  };
  app.get('/console', page);
  app.get('/console/', page);

  // Not secret: the console needs them to colour the queue and fill the outcome list.
  app.get('/console/config.json', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { slaSeconds: options.slaSeconds, outcomes: options.outcomes };
  });
}
