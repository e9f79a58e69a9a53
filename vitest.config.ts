import { configDefaults, defineConfig } from 'vitest/config';
import { redisBinariesMissing } from './test/support/redis-cluster.js';

/**
 * Two projects in one `npm test`: `main` (every test file, on the Redis that global-setup finds),
 * and `redis-cluster`, which runs the contract suites, the queue recovery tests and test/cluster
 * again on a local three-primary Redis Cluster of its own (test/support/cluster-setup.ts). The
 * backend lists switch to the cluster when inject('redisClusterUrl') is set.
 */
const CLUSTER_FILES = [
  'test/contract/*.contract.test.ts',
  'test/integration/inbox-recovery.test.ts',
  'test/cluster/*.test.ts',
];
const clusterSkip = redisBinariesMissing();
// vitest may load this file more than once: say it once.
const said = globalThis as { clusterSkipSaid?: boolean };
if (clusterSkip && !said.clusterSkipSaid) {
  said.clusterSkipSaid = true;
  console.warn(`\nRedis Cluster tests skipped: ${clusterSkip}.\n`);
}

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['test/**/*.test.ts'],
          // test/cluster holds what only makes sense on a cluster.
          exclude: [...configDefaults.exclude, 'test/cluster/**'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
      ...(clusterSkip
        ? []
        : [
            {
              extends: true as const,
              test: {
                name: 'redis-cluster',
                include: CLUSTER_FILES,
                globalSetup: ['test/support/cluster-setup.ts'],
              },
            },
          ]),
    ],
  },
});
