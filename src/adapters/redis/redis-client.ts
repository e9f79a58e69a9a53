import { Cluster, Redis } from 'ioredis';

export type RedisClient = Redis | Cluster;

/**
 * Opens a client for a redis:// URL. `redis+cluster://host:port,host:port` opens a Cluster client;
 * Sentinel is configured with `redis+sentinel://host:port,host:port/master-name`.
 */
export function connectRedis(url: string, options: { lazy?: boolean; name?: string } = {}): RedisClient {
  const common = {
    lazyConnect: options.lazy ?? false,
    connectionName: options.name,
    // Commands fail fast while Redis is down instead of piling up forever; callers retry.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
  };
  const multi = url.match(/^redis\+(cluster|sentinel):\/\/([^/]+)(?:\/(.+))?$/);
  if (multi) {
    const nodes = multi[2]!.split(',').map((hostPort) => {
      const [host, port] = hostPort.split(':');
      return { host: host ?? '127.0.0.1', port: Number(port ?? 6379) };
    });
    if (multi[1] === 'cluster') {
      return new Cluster(nodes, {
        redisOptions: common,
        lazyConnect: common.lazyConnect,
        enableOfflineQueue: true,
      });
    }
    return new Redis({ ...common, sentinels: nodes, name: multi[3] ?? 'mymaster' });
  }
  return new Redis(url, common);
}

/** A second connection with the same settings, for blocking commands (XREADGROUP BLOCK, SUBSCRIBE). */
export function duplicateClient(client: RedisClient): RedisClient {
  const copy = client instanceof Cluster ? client.duplicate() : client.duplicate();
  // Connection errors surface on the commands that fail; an unhandled 'error' event would crash.
  copy.on('error', () => undefined);
  return copy;
}

/** The servers that hold keys: every primary of a Cluster (once it is ready), or the one server. */
export async function primaries(client: RedisClient): Promise<Redis[]> {
  if (!(client instanceof Cluster)) return [client];
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  return client.nodes('master');
}

/**
 * Deletes every key matching `pattern` with SCAN (never KEYS) on every primary. On a Cluster each
 * key goes in its own UNLINK, since keys of different slots cannot share one command.
 */
export async function deleteMatching(client: RedisClient, pattern: string): Promise<number> {
  let deleted = 0;
  for (const node of await primaries(client)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length === 0) continue;
      if (client instanceof Cluster) {
        const batch = node.pipeline();
        for (const key of keys) batch.unlink(key);
        await batch.exec();
      } else {
        await node.unlink(...keys);
      }
      deleted += keys.length;
    } while (cursor !== '0');
  }
  return deleted;
}
