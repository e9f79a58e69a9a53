import {
  cleanEvent,
  type EventBus,
  OPERATOR_EVENT_TYPES,
  type OperatorEvent,
} from '../../ports/event-bus.js';
import type { Keys } from './keys.js';
import { duplicateClient, type RedisClient } from './redis-client.js';
import { wrap } from './redis-user-store.js';

/** Operator events over one Redis pub/sub channel, with one subscriber connection per process. */
export class RedisEventBus implements EventBus {
  private subscriber: RedisClient | undefined;
  private ready: Promise<unknown> | undefined;
  private readonly listeners = new Set<(event: OperatorEvent) => void>();
  private readonly channel: string;

  constructor(
    private readonly redis: RedisClient,
    keys: Keys,
  ) {
    this.channel = keys.operatorEvents();
  }

  async publish(event: OperatorEvent): Promise<void> {
    await wrap('publish event', () => this.redis.publish(this.channel, JSON.stringify(cleanEvent(event))));
  }

  subscribe(listener: (event: OperatorEvent) => void): () => void {
    this.ensureSubscriber();
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Resolves once the subscriber connection listens (tests publish right after subscribing). */
  async subscribed(): Promise<void> {
    this.ensureSubscriber();
    await this.ready;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber?.disconnect();
    this.subscriber = undefined;
    this.ready = undefined;
  }

  private ensureSubscriber(): void {
    if (this.subscriber) return;
    const sub = duplicateClient(this.redis);
    sub.on('message', (_channel: string, raw: string) => {
      let event: OperatorEvent;
      try {
        event = JSON.parse(raw) as OperatorEvent;
      } catch {
        return;
      }
      if (!OPERATOR_EVENT_TYPES.includes(event.type)) return;
      for (const listener of this.listeners) listener(cleanEvent(event));
    });
    sub.on('error', () => undefined);
    this.ready = sub.subscribe(this.channel).catch(() => undefined);
    this.subscriber = sub;
  }
}
