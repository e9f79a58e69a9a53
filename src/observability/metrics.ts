import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ChannelName } from '../core/user-ref.js';
import type { OutboxMetrics } from '../pipeline/outbox.js';

type Depth = { waiting: number; pending: number; dead: number };

/** Prometheus metrics of one app instance (its own registry, so tests can build many apps). */
export class Metrics implements OutboxMetrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly outboxRetries = new Counter({
    name: 'outbox_retries_total',
    help: 'Sends retried after a 429, 5xx or network error',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  private readonly outboxSent = new Counter({
    name: 'outbox_sent_total',
    help: 'Messages delivered to a platform',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  private readonly outboxFailed = new Counter({
    name: 'outbox_undeliverable_total',
    help: 'Messages a platform refused for good (blocked, outside the send window)',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  readonly inboundMessages = new Counter({
    name: 'inbound_messages_total',
    help: 'Messages handled by the worker, by channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  readonly botEvents = new Counter({
    name: 'bot_events_total',
    help: 'Anonymous conversation events (offer checks by level, lessons started and completed...)',
    labelNames: ['event', 'level', 'lesson', 'flag'] as const,
    registers: [this.registry],
  });

  constructor(depthSources: {
    inbox: () => Promise<Depth>;
    outboxes: () => Array<[string, () => Promise<Depth>]>;
  }) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'inbox_depth',
      help: 'Inbox entries waiting, pending (being handled) and dead-lettered',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const depth = await depthSources.inbox().catch(() => undefined);
        if (!depth) return;
        for (const [state, value] of Object.entries(depth)) this.set({ state }, value);
      },
    });
    new Gauge({
      name: 'outbox_depth',
      help: 'Outbox entries per channel and state',
      labelNames: ['channel', 'state'] as const,
      registers: [this.registry],
      async collect() {
        for (const [channel, read] of depthSources.outboxes()) {
          const depth = await read().catch(() => undefined);
          if (!depth) continue;
          for (const [state, value] of Object.entries(depth)) this.set({ channel, state }, value);
        }
      },
    });
  }

  retries(channel: ChannelName): void {
    this.outboxRetries.inc({ channel });
  }
  sent(channel: ChannelName): void {
    this.outboxSent.inc({ channel });
  }
  failed(channel: ChannelName): void {
    this.outboxFailed.inc({ channel });
  }
}
