import { Cluster, Redis } from 'ioredis';

export type RedisClient = Redis | Cluster;

/** The nodes, credentials and master name of a `redis+cluster://` or `redis+sentinel://` URL. */
export interface MultiNodeUrl {
  kind: 'cluster' | 'sentinel';
  nodes: Array<{ host: string; port: number }>;
  username?: string;
  password?: string;
  /** Sentinel only: the monitored master's name (default `mymaster`). */
  masterName?: string;
}

/**
 * Parses `redis+cluster://[user:password@]host:port,host:port` and
 * `redis+sentinel://[user:password@]host:port,host:port[/master-name]`; undefined for any other URL.
 * The credentials are those of the data nodes (the cluster's nodes, the sentinels' master).
 */
export function parseMultiNodeUrl(url: string): MultiNodeUrl | undefined {
  const m = url.match(/^redis\+(cluster|sentinel):\/\/(?:([^@/]*)@)?([^/@]+)(?:\/([^/]*))?$/);
  if (!m) return undefined;
  const kind = m[1] as 'cluster' | 'sentinel';
  const nodes = m[3]!.split(',').map((hostPort) => {
    const [host, port] = hostPort.trim().split(':');
    return { host: host || '127.0.0.1', port: Number(port || (kind === 'sentinel' ? 26379 : 6379)) };
  });
  const out: MultiNodeUrl = { kind, nodes };
  if (m[2] !== undefined) {
    const colon = m[2].indexOf(':');
    const user = decodeURIComponent(colon >= 0 ? m[2].slice(0, colon) : m[2]);
    const password = colon >= 0 ? decodeURIComponent(m[2].slice(colon + 1)) : undefined;
    if (user) out.username = user;
    if (password) out.password = password;
  }
  if (kind === 'sentinel') out.masterName = m[4] ? decodeURIComponent(m[4]) : 'mymaster';
  return out;
}

/**
 * Opens a client for a redis:// or rediss:// URL, a Cluster client for
 * `redis+cluster://host:port,host:port` (any few nodes: the client learns the rest from them), or
 * a Sentinel-managed client for `redis+sentinel://host:port,host:port/master-name`.
 */
export function connectRedis(url: string, options: { lazy?: boolean; name?: string } = {}): RedisClient {
  const lazyConnect = options.lazy ?? false;
  // Commands fail fast while Redis is down instead of piling up forever; callers retry.
  const maxRetriesPerRequest = 2;
  const retryStrategy = (attempt: number) => Math.min(attempt * 200, 2000);
  const multi = parseMultiNodeUrl(url);
  if (multi?.kind === 'cluster') {
    return new Cluster(multi.nodes, {
      lazyConnect,
      enableOfflineQueue: true,
      // Waits for cluster_state:ok before the first command, and asks for the slot map again
      // (bounded) after a MOVED or a failover.
      enableReadyCheck: true,
      slotsRefreshTimeout: 2000,
      clusterRetryStrategy: retryStrategy,
      redisOptions: {
        connectionName: options.name,
        maxRetriesPerRequest,
        username: multi.username,
        password: multi.password,
      },
    });
  }
  if (multi?.kind === 'sentinel') {
    return new Redis({
      lazyConnect,
      connectionName: options.name,
      maxRetriesPerRequest,
      enableOfflineQueue: true,
      retryStrategy,
      sentinels: multi.nodes,
      name: multi.masterName,
      // Reconnects to the new primary as soon as a sentinel announces a failover (+switch-master),
      // and whenever a command meets a primary that was turned into a replica (READONLY).
      failoverDetector: true,
      reconnectOnError: (error: Error) => (error.message.startsWith('READONLY') ? 2 : false),
      username: multi.username,
      password: multi.password,
    });
  }
  return new Redis(url, {
    lazyConnect,
    connectionName: options.name,
    maxRetriesPerRequest,
    enableOfflineQueue: true,
    retryStrategy,
  });
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
  if (client.status === 'wait') await client.connect();
  else if (client.status !== 'ready') {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Redis Cluster not ready in 10 s')), 10_000);
      client.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
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
