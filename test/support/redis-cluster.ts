import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { freePort } from './process.js';
import { OwnRedis } from './redis-server.js';

const PRIMARIES = 3;
/** Redis listens for its cluster bus on the client port + 10000. */
const BUS_OFFSET = 10_000;

/** Why local redis-server processes (cluster, sentinel) cannot be started here, or undefined. */
export function redisBinariesMissing(): string | undefined {
  for (const [bin, pkg] of [
    ['redis-server', 'redis-server'],
    ['redis-cli', 'redis-tools'],
  ] as const) {
    if (spawnSync(bin, ['--version'], { stdio: 'ignore' }).status !== 0)
      return `${bin} is not on PATH (apt-get install -y ${pkg})`;
  }
  return undefined;
}

/**
 * A three-primary Redis Cluster of the test's own on loopback: redis-server processes in cluster
 * mode, each with its own temporary directory and no persistence, joined by
 * `redis-cli --cluster create`. Stopped and removed by destroy().
 */
export class OwnRedisCluster {
  readonly nodes: OwnRedis[] = Array.from({ length: PRIMARIES }, () => new OwnRedis());

  /** The REDIS_URL form that connectRedis opens as a Cluster client. */
  get url(): string {
    return `redis+cluster://${this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`;
  }

  async start(): Promise<void> {
    const taken = new Set<number>();
    for (const node of this.nodes) {
      node.port = await clusterPort(taken);
      taken.add(node.port);
    }
    await Promise.all(
      this.nodes.map((node) =>
        node.start({
          args: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '5000',
          ],
        }),
      ),
    );
    await run('redis-cli', [
      '--cluster',
      'create',
      ...this.nodes.map((n) => `127.0.0.1:${n.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await this.waitUntilOk();
  }

  /** Waits until every node reports cluster_state:ok and knows all the others. */
  private async waitUntilOk(): Promise<void> {
    const clients = this.nodes.map((n) => new Redis({ port: n.port, host: '127.0.0.1', lazyConnect: true }));
    try {
      for (let attempt = 0; attempt < 200; attempt++) {
        const infos = await Promise.all(
          clients.map((c) => (c.call('CLUSTER', 'INFO') as Promise<string>).catch(() => '')),
        );
        if (infos.every((i) => /cluster_state:ok/.test(i) && i.includes(`cluster_known_nodes:${PRIMARIES}`)))
          return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the local Redis Cluster did not reach cluster_state:ok in 10 s');
    } finally {
      for (const c of clients) c.disconnect();
    }
  }

  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.destroy()));
  }
}

/** A free port whose cluster bus port (+10000) is free and valid too. */
async function clusterPort(taken: Set<number>): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const port = await freePort();
    if (taken.has(port) || taken.has(port + BUS_OFFSET) || port + BUS_OFFSET > 65_535) continue;
    if (await isFree(port + BUS_OFFSET)) return port;
  }
  throw new Error('no free port pair for a Redis Cluster node');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += String(d);
    });
    child.stderr.on('data', (d) => {
      output += String(d);
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${output}`)),
    );
  });
}
