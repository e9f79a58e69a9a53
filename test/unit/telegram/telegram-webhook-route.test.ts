import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { MemoryQueue } from '../../../src/adapters/memory/memory-queue.js';
import {
  secretMatches,
  telegramWebhookRoute,
} from '../../../src/adapters/telegram/telegram-webhook-route.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Inbox } from '../../../src/pipeline/inbox.js';

const SECRET = 'route-secret';
const UPDATE = {
  update_id: 10,
  message: { message_id: 1, date: 1, chat: { id: 5, type: 'private' }, from: { id: 5 }, text: 'hi' },
};

/** A queue whose first `failures` writes fail, as Redis does while it is unreachable. */
class BrokenQueue extends MemoryQueue {
  constructor(private failures = Number.POSITIVE_INFINITY) {
    super('inbox');
  }
  override async add(payload: string): Promise<string> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('store down');
    }
    return super.add(payload);
  }
}

async function appWith(queue: MemoryQueue) {
  const app = Fastify();
  const inbox = new Inbox(queue);
  await app.register(async (scope) =>
    telegramWebhookRoute({ inbox, secret: SECRET, logger: createLogger('silent') })(scope),
  );
  return app;
}

const post = (app: Awaited<ReturnType<typeof appWith>>, body: unknown) =>
  app.inject({
    method: 'POST',
    url: '/webhooks/telegram',
    headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });

describe('telegramWebhookRoute', () => {
  it('answers 500 when the update cannot be stored, and accepts the retry once the store is back', async () => {
    const queue = new BrokenQueue(1);
    const app = await appWith(queue);
    expect((await post(app, UPDATE)).statusCode).toBe(500);
    expect((await queue.depth()).waiting).toBe(0);

    // Nothing was marked: Telegram's retry is stored, not taken for a duplicate.
    expect((await post(app, UPDATE)).statusCode).toBe(200);
    expect((await queue.depth()).waiting).toBe(1);
    expect((await post(app, UPDATE)).statusCode).toBe(200);
    expect((await queue.depth()).waiting).toBe(1);
  });

  it('stores a valid update once and answers 200 to the duplicate', async () => {
    const queue = new MemoryQueue('inbox');
    const app = await appWith(queue);
    expect((await post(app, UPDATE)).statusCode).toBe(200);
    expect((await post(app, UPDATE)).statusCode).toBe(200);
    expect((await queue.depth()).waiting).toBe(1);
  });
});

describe('secretMatches', () => {
  it('accepts only the exact secret, whatever the length of what was sent', () => {
    expect(secretMatches(SECRET, SECRET)).toBe(true);
    expect(secretMatches(SECRET, `${SECRET} `)).toBe(false);
    expect(secretMatches(SECRET, SECRET.slice(0, -1))).toBe(false);
    expect(secretMatches(SECRET, '')).toBe(false);
    expect(secretMatches(SECRET, undefined)).toBe(false);
    expect(secretMatches(SECRET, [SECRET, SECRET])).toBe(false);
  });
});
