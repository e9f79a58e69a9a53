import type { TestProject } from 'vitest/node';
import { OwnRedisCluster } from './redis-cluster.js';

/**
 * Global setup of the `redis-cluster` test project: starts one local three-primary Redis Cluster
 * for the project's run, hands its URL to the tests (inject('redisClusterUrl'), and as the
 * suite's Redis, inject('redisUrl')), and stops its redis-server processes and removes their
 * directories afterwards. vitest.config.ts leaves the project out, with a message, when
 * redis-server or redis-cli is missing.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = new OwnRedisCluster();
  try {
    await cluster.start();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  project.provide('redisClusterUrl', cluster.url);
  // Helpers that take the suite's Redis (startTestServer, openTestRedis) get the cluster too.
  project.provide('redisUrl', cluster.url);
  return () => cluster.destroy();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set only in the `redis-cluster` project: a redis+cluster:// URL. */
    redisClusterUrl: string;
  }
}
