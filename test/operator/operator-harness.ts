import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type Container, createContainer } from '../../src/container.js';
import type { Case, NewCase } from '../../src/core/cases/case.js';
import { createLogger } from '../../src/observability/logger.js';
import { operatorApi } from '../../src/operator/operator-api.js';
import type { OperatorRole } from '../../src/ports/operator-store.js';
import { FakeClock } from '../support/fake-clock.js';
import { cleanPrefix, randomPrefix, testRedisUrl } from '../support/redis.js';

export const HASH_SECRET = 'operator-api-test-hash-secret-0123';

/** A real app with the operator API on a real Redis under a fresh prefix. */
export interface Harness {
  app: FastifyInstance;
  container: Container;
  clock: FakeClock;
  prefix: string;
  relayed: Array<{ caseId: string; text: string; operator: string; entryId: string }>;
  resolved: string[];
  /** Makes the next relay call throw. */
  failRelay: { next: boolean };
  account(name: string, role: OperatorRole): Promise<string>;
  /** Logs in through the API; returns the cookie header and CSRF token. */
  login(name: string, role: OperatorRole): Promise<{ cookie: string; csrf: string; secret: string }>;
  openCase(userId: string, level?: NewCase['level']): Promise<Case>;
  close(): Promise<void>;
}

/** A fresh key prefix for one test (the shared helper; REDIS_PREFIX accepts it). */
export const envPrefix = randomPrefix;

export async function openHarness(env: Record<string, string> = {}): Promise<Harness> {
  const prefix = envPrefix('ops');
  const config = loadConfig({
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: prefix,
    HASH_SECRET,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const clock = new FakeClock();
  const container = createContainer(config, createLogger('silent'), { clock });
  const relayed: Harness['relayed'] = [];
  const resolved: string[] = [];
  const failRelay = { next: false };
  const app = await buildApp({
    container,
    plugins: [
      operatorApi({
        cases: container.cases,
        operators: container.operators,
        events: container.events,
        clock,
        config,
        logger: container.logger,
        redis: container.redis,
        keys: container.keys,
        heartbeatMs: 200,
        relay: async (c, text, operator, entryId) => {
          if (failRelay.next) {
            failRelay.next = false;
            throw new Error('channel down');
          }
          relayed.push({ caseId: c.id, text, operator, entryId });
        },
        onResolved: async (c) => {
          resolved.push(c.id);
        },
      }),
    ],
  });
  await app.ready();

  const account = async (name: string, role: OperatorRole) =>
    (await container.operators.add(name, role, clock.now())).secret;

  return {
    app,
    container,
    clock,
    prefix,
    relayed,
    resolved,
    failRelay,
    account,
    async login(name, role) {
      const secret = await account(name, role);
      const res = await app.inject({ method: 'POST', url: '/api/operator/login', payload: { name, secret } });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'smb_op');
      return { cookie: `smb_op=${cookie?.value}`, csrf: res.json().csrfToken as string, secret };
    },
    async openCase(userId, level = 'high') {
      const { case: c } = await container.cases.createOrGetOpen(
        {
          level,
          channel: 'telegram',
          userId,
          chatId: userId,
          locale: 'vi',
          signals: ['confined'],
          transcript: [{ at: clock.now(), from: 'user', text: 'tôi bị giữ, cứu tôi' }],
        },
        clock.now(),
      );
      return c;
    },
    async close() {
      await app.close();
      if (container.redis) await cleanPrefix(container.redis, prefix);
      await container.close();
    },
  };
}
