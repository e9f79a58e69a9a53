import { describe, expect, it } from 'vitest';
import { MemoryQueue } from '../../../src/adapters/memory/memory-queue.js';
import { StoreError } from '../../../src/errors.js';
import { createLogger } from '../../../src/observability/logger.js';
import type { OutboxEnvelope } from '../../../src/pipeline/envelopes.js';
import { type ChannelSender, OutboxSender } from '../../../src/pipeline/outbox.js';
import { QueueConsumer } from '../../../src/pipeline/queue-consumer.js';
import type { DoneMark, QueueEntry } from '../../../src/ports/durable-queue.js';

const logger = createLogger('silent');

function envelope(id: string, chatId: string, text: string): string {
  const e: OutboxEnvelope = {
    v: 1,
    id,
    channel: 'telegram',
    chatId,
    userId: chatId,
    reply: { text },
    createdAt: 0,
  };
  return JSON.stringify(e);
}

/** A Redis that goes away right after the platform took the message: the sent-mark's ack fails once. */
class FlakyQueue extends MemoryQueue {
  failMarks = 1;
  override async ack(id: string, orderKey?: string, done?: DoneMark): Promise<void> {
    if (done && this.failMarks > 0) {
      this.failMarks -= 1;
      throw new StoreError('ack queue');
    }
    return super.ack(id, orderKey, done);
  }
}

describe('outbox after a store failure', () => {
  it('never sends a reply twice because recording it failed after the platform took it', async () => {
    const queue = new FlakyQueue('outbox:telegram');
    const sent: string[] = [];
    const sender: ChannelSender = {
      channel: 'telegram',
      limits: { perSecond: 1000, perChatPerSecond: 1000, perChatBurst: 1000 },
      send: async (e) => {
        sent.push(e.reply.text);
      },
    };
    const outbox = new OutboxSender({ queue, sender, logger, consumerName: 'w', reclaimIdleMs: 20 });
    await queue.add(envelope('r1', '1', 'hello'), '1');
    await outbox.drainOnce();
    expect(sent).toEqual(['hello']);
    expect((await queue.depth()).pending).toBe(1);
    await new Promise((r) => setTimeout(r, 30));
    await outbox.drainOnce();
    expect(sent).toEqual(['hello']);
    expect(await queue.depth()).toEqual({ waiting: 0, pending: 0, dead: 0 });
    // The sent-mark was set with the ack: the same reply queued again (a replayed message) stays unsent.
    await queue.add(envelope('r1', '1', 'hello'), '1');
    await outbox.drainOnce();
    expect(sent).toEqual(['hello']);
    expect(await queue.depth()).toEqual({ waiting: 0, pending: 0, dead: 0 });
  });
});

describe('order across consumers', () => {
  it('keeps a chat’s later entry waiting while another consumer holds an earlier one', async () => {
    const queue = new MemoryQueue('outbox:telegram');
    await queue.add('chat-1 first', '1');
    await queue.add('chat-1 second', '1');
    await queue.add('chat-2 first', '2');
    const [held] = await queue.read('slow-worker', 1, 0);
    const handled: string[] = [];
    const fastWorker = (reclaimIdleMs: number) =>
      new QueueConsumer({
        queue,
        consumer: 'fast-worker',
        logger,
        handle: async (entry: QueueEntry) => {
          handled.push(entry.payload);
        },
        orderingKey: (entry) => entry.payload.split(' ')[0]!.replace('chat-', ''),
        orderAcrossConsumers: { waitMs: 60 },
        reclaimIdleMs,
      });
    await fastWorker(10_000).drainOnce();
    // The other chat went on; chat 1's second entry waited for the first, then was left pending.
    expect(handled).toEqual(['chat-2 first']);
    await queue.ack(held!.id, '1');
    await new Promise((r) => setTimeout(r, 10));
    await fastWorker(0).drainOnce();
    expect(handled).toEqual(['chat-2 first', 'chat-1 second']);
    expect(await queue.depth()).toEqual({ waiting: 0, pending: 0, dead: 0 });
  });
});
