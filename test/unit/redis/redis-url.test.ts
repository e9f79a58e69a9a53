import { describe, expect, it } from 'vitest';
import { parseMultiNodeUrl } from '../../../src/adapters/redis/redis-client.js';

describe('REDIS_URL forms for Cluster and Sentinel', () => {
  it('reads the seed nodes of a cluster', () => {
    expect(parseMultiNodeUrl('redis+cluster://10.0.0.1:7000,10.0.0.2:7001,10.0.0.3')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '10.0.0.3', port: 6379 },
      ],
    });
  });

  it('reads the sentinels, the master name (default mymaster) and credentials', () => {
    expect(parseMultiNodeUrl('redis+sentinel://s1:26379,s2/smb')).toEqual({
      kind: 'sentinel',
      nodes: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      masterName: 'smb',
    });
    expect(parseMultiNodeUrl('redis+sentinel://:p%40ss@s1:26379')).toMatchObject({
      password: 'p@ss',
      masterName: 'mymaster',
    });
    expect(parseMultiNodeUrl('redis+cluster://app:secret@n1:7000')).toMatchObject({
      username: 'app',
      password: 'secret',
      nodes: [{ host: 'n1', port: 7000 }],
    });
  });

  it('leaves plain redis:// and rediss:// URLs to ioredis', () => {
    expect(parseMultiNodeUrl('redis://127.0.0.1:6379')).toBeUndefined();
    expect(parseMultiNodeUrl('rediss://user:pw@host:6380/0')).toBeUndefined();
  });
});
