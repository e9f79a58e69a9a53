import type { Reply } from '../../core/messages.js';
import type { MailboxItem, WebchatMailbox } from '../../ports/webchat-mailbox.js';
import type { Keys } from './keys.js';
import { duplicateClient, type RedisClient } from './redis-client.js';
import { wrap } from './redis-user-store.js';

const KEEP_PER_SESSION = 200;
const TTL_SECONDS = 24 * 3600;

/**
 * One capped stream per session, expiring a day after the last reply, plus one pub/sub channel
 * (one subscriber connection per process) to wake the SSE connections of that session.
 */
export class RedisWebchatMailbox implements WebchatMailbox {
  private subscriber: RedisClient | undefined;
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly channel: string;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    this.channel = keys.webchatNotify();
  }

  async push(session: string, reply: Reply, at: number): Promise<string> {
    const key = this.keys.webchatMailbox(session);
    const result = await wrap('write mailbox', () =>
      this.redis
        .multi()
        .xadd(key, 'MAXLEN', '~', String(KEEP_PER_SESSION), '*', 'r', JSON.stringify(reply), 'at', String(at))
        .expire(key, TTL_SECONDS)
        .exec(),
    );
    await wrap('notify mailbox', () => this.redis.publish(this.channel, session));
    return String(result?.[0]?.[1] ?? '');
  }

  async readAfter(session: string, afterEventId: string | undefined, limit: number): Promise<MailboxItem[]> {
    const key = this.keys.webchatMailbox(session);
    const start = afterEventId ? `(${afterEventId}` : '-';
    const rows = (await wrap('read mailbox', () =>
      this.redis.xrange(key, start, '+', 'COUNT', limit),
    )) as Array<[string, string[]]>;
    return rows.map(([eventId, fields]) => {
      const reply = JSON.parse(fields[fields.indexOf('r') + 1] ?? '{}') as Reply;
      const at = Number(fields[fields.indexOf('at') + 1] ?? 0);
      return { eventId, reply, at };
    });
  }

  subscribe(session: string, onNew: () => void): () => void {
    this.ensureSubscriber();
    let set = this.listeners.get(session);
    if (!set) {
      set = new Set();
      this.listeners.set(session, set);
    }
    set.add(onNew);
    return () => {
      set.delete(onNew);
      if (set.size === 0) this.listeners.delete(session);
    };
  }

  async erase(session: string): Promise<void> {
    await wrap('erase mailbox', () => this.redis.del(this.keys.webchatMailbox(session)));
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }

  private ensureSubscriber(): void {
    if (this.subscriber) return;
    const sub = duplicateClient(this.redis);
    sub.on('message', (_channel: string, session: string) => {
      for (const listener of this.listeners.get(session) ?? []) listener();
    });
    sub.on('error', () => undefined);
    // A reply pushed before SUBSCRIBE took effect (a new connection: slower on a Cluster) sent its
    // wake-up to nobody; once subscribed, every open stream reads its mailbox again.
    void sub
      .subscribe(this.channel)
      .then(() => {
        for (const set of this.listeners.values()) for (const listener of set) listener();
      })
      .catch(() => undefined);
    this.subscriber = sub;
  }
}
