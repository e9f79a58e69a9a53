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
