import { afterEach, describe, expect, it } from 'vitest';
import { MemoryQueue } from '../../../src/adapters/memory/memory-queue.js';
import { createLogger } from '../../../src/observability/logger.js';
import { QueueConsumer, type QueueConsumerOptions } from '../../../src/pipeline/queue-consumer.js';
import type { QueueEntry } from '../../../src/ports/durable-queue.js';

const logger = createLogger('silent');
const consumers: QueueConsumer[] = [];
afterEach(async () => {
  for (const c of consumers.splice(0)) await c.stop();
});

/** Payloads are "key:n"; the ordering key is the part before the colon. */
function start(
  queue: MemoryQueue,
  handle: (entry: QueueEntry) => Promise<void>,
  concurrency = 8,
  more: Partial<QueueConsumerOptions> = {},
) {
  const consumer = new QueueConsumer({
    queue,
    consumer: 'w',
    logger,
    handle,
    orderingKey: (e) => e.payload.split(':')[0]!,
    blockMs: 50,
    concurrency,
    ...more,
  });
  consumer.start();
  consumers.push(consumer);
  return consumer;
}

const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
};

describe('QueueConsumer', () => {
  it('keeps reading while one entry is slow: other keys are not held back', async () => {
    const queue = new MemoryQueue('q');
    const handled: string[] = [];
    let release: () => void = () => undefined;
    start(queue, async (entry) => {
      if (entry.payload === 'slow:1') await new Promise<void>((r) => (release = r));
      handled.push(entry.payload);
    });
    await queue.add('slow:1');
    await new Promise((r) => setTimeout(r, 30));
    await queue.add('fast:1');
    await queue.add('fast:2');
    await until(() => handled.length === 2);
    expect(handled).toEqual(['fast:1', 'fast:2']);
    release();
    await until(() => handled.length === 3);
    expect((await queue.depth()).pending).toBe(0);
  });

  it('handles the entries of one key one at a time, in queue order, across reads', async () => {
    const queue = new MemoryQueue('q');
    const handled: string[] = [];
    let running = 0;
    let overlapped = false;
    start(queue, async (entry) => {
      running += 1;
      if (running > 1) overlapped = true;
      await new Promise((r) => setTimeout(r, 5));
      handled.push(entry.payload);
      running -= 1;
    });
    for (let i = 1; i <= 5; i++) {
      await queue.add(`chat:${i}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    await until(() => handled.length === 5);
    expect(handled).toEqual(['chat:1', 'chat:2', 'chat:3', 'chat:4', 'chat:5']);
    expect(overlapped).toBe(false);
  });

  it('after a failure leaves the later entries of that key pending, and goes on with other keys', async () => {
    const queue = new MemoryQueue('q');
    const handled: string[] = [];
    let release: () => void = () => undefined;
    start(queue, async (entry) => {
      if (entry.payload === 'a:1') {
        await new Promise<void>((r) => (release = r));
        throw new Error('boom');
      }
      handled.push(entry.payload);
    });
    await queue.add('a:1');
    await queue.add('a:2');
    await queue.add('b:1');
    await until(() => handled.includes('b:1'));
    release();
    await new Promise((r) => setTimeout(r, 50));
    expect(handled).toEqual(['b:1']);
    expect(await queue.depth()).toEqual({ waiting: 0, pending: 2, dead: 0 });
  });

  it('never has more entries in flight than its concurrency', async () => {
    const queue = new MemoryQueue('q');
    let running = 0;
    let most = 0;
    let done = 0;
    start(
      queue,
      async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 10));
        running -= 1;
        done += 1;
      },
      3,
    );
    for (let i = 0; i < 12; i++) await queue.add(`k${i}:1`);
    await until(() => done === 12);
    expect(most).toBe(3);
  });

  it('across consumers: a chat waits for the entry another one holds, other chats go on, its own entries follow in order', async () => {
    const queue = new MemoryQueue('q');
    await queue.add('a:1', 'a');
    await queue.add('a:2', 'a');
    await queue.add('a:3', 'a');
    await queue.add('b:1', 'b');
    const [held] = await queue.read('other-process', 1, 0);
    expect(held?.payload).toBe('a:1');
    const handled: string[] = [];
    start(
      queue,
      async (entry) => {
        handled.push(entry.payload);
      },
      8,
      { orderAcrossConsumers: { waitMs: 10_000 }, reclaimIdleMs: 60_000 },
    );
    await until(() => handled.includes('b:1'));
    expect(handled).toEqual(['b:1']);
    await queue.ack(held!.id, 'a');
    await until(() => handled.length === 3);
    expect(handled).toEqual(['b:1', 'a:2', 'a:3']);
    expect(await queue.depth()).toEqual({ waiting: 0, pending: 0, dead: 0 });
  });
});
