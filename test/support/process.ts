import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Set by buildOnce (and by the suite's global setup for every test worker it starts). */
export const DIST_BUILT_ENV = 'SMB_DIST_BUILT';

/**
 * Builds dist/ once per process, as `npm start` does. The build removes dist/ first, so under
 * vitest it runs once in the global setup, before any worker: otherwise a test file's build
 * could pull main.js away from an app process that another file is starting.
 */
export function buildOnce(): void {
  if (process.env[DIST_BUILT_ENV] === '1') return;
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build failed: ${result.stderr}`);
  process.env[DIST_BUILT_ENV] = '1';
}

export interface AppProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the built server (`node dist/src/main.js`) as `npm start` would, and waits for /healthz.
 * With ROLE=worker there is no HTTP listener: it returns once the process is running (`url` is
 * empty); tests then wait for what the worker does.
 */
export async function startAppProcess(env: Record<string, string> = {}): Promise<AppProcess> {
  buildOnce();
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', REDIS_URL: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  const url = env.ROLE === 'worker' ? '' : `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (url) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer /healthz in 20 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
  return {
    child,
    url,
    output: () => output,
    stop(signal = 'SIGTERM') {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}
