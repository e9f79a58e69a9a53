import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildOnce, freePort } from './process.js';
import { answersPing } from './redis-server.js';

/**
 * Builds dist/ once, then finds a Redis for the suite: REDIS_URL when set, else 127.0.0.1:6379
 * when it answers, else a throwaway redis-server from PATH on a free port (stopped afterwards).
 * Fails at once otherwise.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // dist/ for the tests that start app processes, built before any worker starts (workers
  // inherit the environment variable buildOnce sets, and skip their own build).
  buildOnce();
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv) {
    project.provide('redisUrl', fromEnv);
    return async () => {};
  }
  if (await answersPing(6379)) {
    project.provide('redisUrl', 'redis://127.0.0.1:6379');
    return async () => {};
  }
  const which = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (which.status !== 0) {
    throw new Error(
      'No Redis for the tests: set REDIS_URL, or install redis-server (apt-get install -y redis-server), or run `docker compose up -d redis`.',
    );
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'smb-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100 && !(await answersPing(port)); i++) await sleep(50);
  project.provide('redisUrl', `redis://127.0.0.1:${port}`);
  return async () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
