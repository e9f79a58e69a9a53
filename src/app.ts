import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { ZodError } from 'zod';
import { secretMatches } from './api/secret-compare.js';
import type { Container } from './container.js';
import { AppError, RequestError } from './errors.js';

/** One route of the app as registered (HEAD twins of GET routes left out). */
export interface RouteEntry {
  method: string;
  url: string;
}

const routeTables = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Every route the app registered: security tests walk it, so a new route cannot go untested. */
export function routeTable(app: FastifyInstance): readonly RouteEntry[] {
  return routeTables.get(app) ?? [];
}

/** Route plugins that channels and the operator side add to the app. */
export type AppPlugin = (app: FastifyInstance) => Promise<void> | void;

export interface BuildAppOptions {
  container: Container;
  plugins?: AppPlugin[];
  /** Largest accepted request body; platforms send far less. */
  bodyLimit?: number;
}

/** A hop count trusts that many proxies in front (Fastify's own number form, typed as a function). */
function trustProxyOption(value: boolean | number | string[]): FastifyServerOptions['trustProxy'] {
  return typeof value === 'number' ? (_address: string, hop: number) => hop < value : value;
}

/**
 * The Fastify app, without listening: main.ts listens, tests use `app.inject` or listen on port 0.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { container } = options;
  const serverOptions: FastifyServerOptions = {
    loggerInstance: container.logger,
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    // TRUST_PROXY: believe X-Forwarded-For only from the configured proxies, else anyone could
    // pick the address that per-address rate limits and login lockouts count.
    trustProxy: trustProxyOption(container.config.http.trustProxy),
    // Request lines would carry URLs with session ids; we log what matters ourselves.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  };
  const app = Fastify(serverOptions);
  const routes: RouteEntry[] = [];
  routeTables.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url });
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    container.metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    container.metrics.httpDuration.observe({ method: request.method, route }, seconds);
    if (reply.statusCode >= 500) request.log.warn({ route, status: reply.statusCode }, 'request failed');
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof RequestError) {
      return reply.code(error.statusCode).send({ error: { code: error.code, message: error.message } });
    }
    if (error instanceof ZodError) {
      const message = error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; ');
      return reply.code(400).send({ error: { code: 'INVALID_REQUEST', message } });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      const code = (error as { code?: string }).code ?? 'BAD_REQUEST';
      return reply.code(status).send({ error: { code, message: (error as Error).message } });
    }
    const code = error instanceof AppError ? error.code : 'INTERNAL';
    request.log.error({ err: error, code }, 'unhandled error');
    return reply.code(503).send({ error: { code, message: 'Temporarily unavailable; please retry.' } });
  });

  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No such page.' } });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const { ok, checks } = await container.ready();
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready', checks });
  });

  const metricsAccess = container.config.metrics;
  if (metricsAccess.access !== 'off') {
    app.get('/metrics', async (request, reply) => {
      // Queue depths and traffic say how busy the hotline is: with a token, only the scraper sees them.
      if (
        metricsAccess.access === 'token' &&
        !secretMatches(bearerOf(request.headers.authorization), [metricsAccess.token])
      ) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer')
          .send({ error: { code: 'UNAUTHORIZED', message: 'Metrics need the scrape token.' } });
      }
      const body = await container.metrics.registry.metrics();
      return reply.type(container.metrics.registry.contentType).send(body);
    });
  }

  for (const plugin of options.plugins ?? []) await app.register(async (scope) => plugin(scope));
  return app;
}

function bearerOf(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
}
