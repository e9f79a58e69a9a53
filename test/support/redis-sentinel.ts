import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './process.js';
import { answersPing, OwnRedis } from './redis-server.js';

export const SENTINEL_MASTER = 'smb';

/**
 * A primary, one replica and one Sentinel of the test's own on loopback, each with its own
 * temporary directory and no persistence; destroy() stops them and removes the directories.
 */
export class OwnRedisSentinel {
  readonly primary = new OwnRedis();
  readonly replica = new OwnRedis();
  private sentinel: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'smb-own-sentinel-'));
  sentinelPort = 0;

  get url(): string {
    return `redis+sentinel://127.0.0.1:${this.sentinelPort}/${SENTINEL_MASTER}`;
  }

  async start(): Promise<void> {
    // The primary refuses writes once its replica is gone (promoted), so that a client still
    // talking to it during the switch gets an error instead of a write that would be lost.
    await this.primary.start({
      args: [
        '--min-replicas-to-write',
        '1',
        '--min-replicas-max-lag',
        '10',
        '--repl-diskless-sync-delay',
        '0',
      ],
    });
    this.replica.port = await freePort();
    await this.replica.start({ args: ['--replicaof', '127.0.0.1', String(this.primary.port)] });
    await until(async () => /master_link_status:up/.test(await info(this.replica.port, 'replication')));
    this.sentinelPort = await freePort();
    const conf = join(this.dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${this.sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${this.dir}`,
        `sentinel monitor ${SENTINEL_MASTER} 127.0.0.1 ${this.primary.port} 1`,
        `sentinel down-after-milliseconds ${SENTINEL_MASTER} 2000`,
        `sentinel failover-timeout ${SENTINEL_MASTER} 10000`,
        '',
      ].join('\n'),
    );
    this.sentinel = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
    await until(() => answersPing(this.sentinelPort));
  }

  /** The primary's port as the Sentinel sees it. */
  async primaryPort(): Promise<number> {
    const [, port] = (await this.ask('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_MASTER)) as string[];
    return Number(port);
  }

  /** Forces a failover to the replica and waits until the Sentinel names it the primary. */
  async failover(): Promise<void> {
    // The Sentinel needs to have seen the replica first (NOGOODSLAVE until then).
    await until(async () => {
      try {
        return (await this.ask('SENTINEL', 'FAILOVER', SENTINEL_MASTER)) === 'OK';
      } catch {
        return false;
      }
    });
    await until(async () => (await this.primaryPort()) === this.replica.port);
  }

  async destroy(): Promise<void> {
    const sentinel = this.sentinel;
    if (sentinel && sentinel.exitCode === null && sentinel.signalCode === null) {
      await new Promise<void>((resolve) => {
        sentinel.once('exit', () => resolve());
        sentinel.kill('SIGKILL');
      });
    }
    await Promise.all([this.primary.destroy(), this.replica.destroy()]);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async ask(...args: string[]): Promise<unknown> {
    const client = new Redis({ port: this.sentinelPort, host: '127.0.0.1', lazyConnect: true });
    try {
      return await client.call(args[0]!, ...args.slice(1));
    } finally {
      client.disconnect();
    }
  }
}

async function info(port: number, section: string): Promise<string> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
  try {
    return await client.info(section);
  } catch {
    return '';
  } finally {
    client.disconnect();
  }
}

/** Polls `check` until it holds, failing after 15 s. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the local Sentinel set-up did not reach the expected state in 15 s');
}
