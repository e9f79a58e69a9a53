import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UserRef } from '../../src/core/user-ref.js';
import { type Backend, backends } from './store-backends.js';

const alice: UserRef = { channel: 'telegram', id: '1001' };
const bob: UserRef = { channel: 'zalo', id: '8877665544332211' };

describe.each(backends)('store contract: $name', ({ open }) => {
  let backend: Backend;
  beforeEach(() => {
    backend = open();
  });
  afterEach(async () => {
    await backend.close();
  });

  describe('UserStore', () => {
    it('keeps fields per user and returns nothing for strangers', async () => {
      const users = backend.users(60);
      await users.set(alice, { state: '{"node":"menu"}', progress: '[]' });
      expect(await users.get(alice, 'state')).toBe('{"node":"menu"}');
      expect(await users.getAll(alice)).toEqual({ state: '{"node":"menu"}', progress: '[]' });
      expect(await users.getAll(bob)).toEqual({});
      expect(await users.get(bob, 'state')).toBeNull();
    });

    it('deletes a field given null and keeps the others', async () => {
      const users = backend.users(60);
      await users.set(alice, { state: 'a', msgs: 'b' });
      await users.set(alice, { msgs: null });
      expect(await users.getAll(alice)).toEqual({ state: 'a' });
    });

    it('erases everything about one user and nothing about another', async () => {
      const users = backend.users(60);
      await users.set(alice, { state: 'a', progress: 'p' });
      await users.set(bob, { state: 'b' });
      await users.erase(alice);
      expect(await users.getAll(alice)).toEqual({});
      expect(await users.get(bob, 'state')).toBe('b');
    });

    it('forgets a user after the inactivity period, and a write restarts the period', async () => {
      const users = backend.users(1);
      await users.set(alice, { state: 'a' });
      await backend.pass(600);
      await users.set(alice, { progress: 'p' });
      await backend.pass(600);
      expect(await users.get(alice, 'state')).toBe('a');
      await backend.pass(1100);
      expect(await users.getAll(alice)).toEqual({});
    });
    it('adds a recent id in one step: drops old entries and an earlier one of the same id, keeps the newest', async () => {
      const users = backend.users(60);
      await users.set(alice, { ti: '5.100,6.200,7.300', tu: '123', s: 'x' });
      await users.addRecentId(alice, 'ti', [6, 400], { sinceSeconds: 150, max: 10 }, ['tu']);
      expect(await users.getAll(alice)).toEqual({ ti: '7.300,6.400', s: 'x' });
      await users.addRecentId(alice, 'ti', [8, 500], { sinceSeconds: 0, max: 2 });
      await users.addRecentId(alice, 'to', [9, 500], { sinceSeconds: 0, max: 2 });
      expect(await users.getAll(alice)).toEqual({ ti: '6.400,8.500', to: '9.500', s: 'x' });
      // Adds at the same moment lose nothing.
      await Promise.all(
        [10, 11, 12].map((id) => users.addRecentId(bob, 'to', [id, 600], { sinceSeconds: 0, max: 5 })),
      );
      expect((await users.get(bob, 'to'))?.split(',').sort()).toEqual(['10.600', '11.600', '12.600']);
    });

    it("takes a user's lease with one field, one holder at a time, released only by its token", async () => {
      const users = backend.users(60);
      await users.set(alice, { state: 'a', ti: 'x' });
      const first = await users.lease(alice, 5000, 'state');
      expect(first?.value).toBe('a');
      expect(await users.lease(alice, 5000, 'state')).toBeNull();
      expect((await users.lease(bob, 5000, 'state'))?.value).toBeNull();
      await users.release(alice, 'not-the-token', { state: 'b' });
      // The write is made whoever holds the lease; the lease stays with its holder.
      expect(await users.get(alice, 'state')).toBe('b');
      expect(await users.lease(alice, 5000, 'state')).toBeNull();
      await users.release(alice, first!.token, { state: 'c', ti: null });
      expect(await users.getAll(alice)).toEqual({ state: 'c' });
      const second = await users.lease(alice, 5000, 'state');
      expect(second?.value).toBe('c');
      await users.release(alice, second!.token);
      expect(await users.getAll(alice)).toEqual({ state: 'c' });
      expect(await users.lease(alice, 5000, 'state')).toBeTruthy();
    });

    it("lets a user's lease lapse after its time, and erasing the user keeps it", async () => {
      const users = backend.users(60);
      await users.set(alice, { state: 'a' });
      expect(await users.lease(alice, 300, 'state')).toBeTruthy();
      await users.erase(alice);
      expect(await users.lease(alice, 300, 'state')).toBeNull();
      await backend.pass(400);
      expect(await users.lease(alice, 300, 'state')).toEqual({ token: expect.any(String), value: null });
    });

    it('restarts the inactivity period when a release writes, not when it only releases', async () => {
      const users = backend.users(1);
      await users.set(alice, { state: 'a' });
      const lease = await users.lease(alice, 5000, 'state');
      await backend.pass(600);
      await users.release(alice, lease!.token, { state: 'b' });
      await backend.pass(600);
      const again = await users.lease(alice, 5000, 'state');
      expect(again?.value).toBe('b');
      await users.release(alice, again!.token);
      await backend.pass(600);
      expect(await users.getAll(alice)).toEqual({});
    });
  });

  describe('DedupeStore', () => {
    it('accepts an id once per scope until it expires or is forgotten', async () => {
      const dedupe = backend.dedupe();
      expect(await dedupe.markIfNew('tg', '42', 60)).toBe(true);
      expect(await dedupe.markIfNew('tg', '42', 60)).toBe(false);
      expect(await dedupe.markIfNew('zalo', '42', 60)).toBe(true);
      expect(await dedupe.has('tg', '42')).toBe(true);
      await dedupe.forget('tg', '42');
      expect(await dedupe.has('tg', '42')).toBe(false);
      expect(await dedupe.markIfNew('tg', '42', 1)).toBe(true);
      await backend.pass(1100);
      expect(await dedupe.markIfNew('tg', '42', 60)).toBe(true);
    });
  });

  describe('ZaloTokenStore', () => {
    it('keeps one token pair per app and replaces it as a whole', async () => {
      const tokens = backend.zaloTokens();
      expect(await tokens.get('111')).toBeNull();
      const first = { accessToken: 'a1', refreshToken: 'r1', expiresAt: 1000, seed: 's', updatedAt: 1 };
      await tokens.put('111', first);
      expect(await tokens.get('111')).toEqual(first);
      expect(await tokens.get('222')).toBeNull();
      const second = { accessToken: 'a2', refreshToken: 'r2', expiresAt: 2000, seed: 's', updatedAt: 2 };
      await tokens.put('111', second);
      expect(await tokens.get('111')).toEqual(second);
    });
  });

  describe('LockStore', () => {
    it('gives a lease to one holder at a time and lets only the owner release it', async () => {
      const locks = backend.locks();
      const first = await locks.acquire('user:1', 5000);
      expect(first).toBeTruthy();
      expect(await locks.acquire('user:1', 5000)).toBeNull();
      await locks.release('user:1', 'not-the-token');
      expect(await locks.acquire('user:1', 5000)).toBeNull();
      await locks.release('user:1', first!);
      expect(await locks.acquire('user:1', 5000)).toBeTruthy();
    });

    it('lets a lease lapse after its time', async () => {
      const locks = backend.locks();
      expect(await locks.acquire('refresh', 300)).toBeTruthy();
      await backend.pass(400);
      expect(await locks.acquire('refresh', 300)).toBeTruthy();
    });
  });

  describe('DurableQueue', () => {
    it('adds an entry once per id until the mark expires', async () => {
      const queue = backend.queue('inbox');
      expect(await queue.addOnce('telegram:42', 1, 'first')).toBeTruthy();
      expect(await queue.addOnce('telegram:42', 1, 'again')).toBeNull();
      expect(await queue.addOnce('zalo:42', 60, 'other')).toBeTruthy();
      expect((await queue.read('w1', 10, 0)).map((e) => e.payload)).toEqual(['first', 'other']);
      await backend.pass(1100);
      expect(await queue.addOnce('telegram:42', 60, 'later')).toBeTruthy();
      expect((await queue.read('w1', 10, 0)).map((e) => e.payload)).toEqual(['later']);
    });

    it('adds once when the same id arrives several times at the same moment', async () => {
      const queue = backend.queue('inbox');
      const ids = await Promise.all([
        queue.addOnce('telegram:7', 60, 'a'),
        queue.addOnce('telegram:7', 60, 'b'),
        queue.addOnce('telegram:8', 60, 'c'),
        queue.addOnce('telegram:7', 60, 'd'),
      ]);
      expect(ids.filter((id) => id !== null)).toHaveLength(2);
      expect(ids[0]).toBeTruthy();
      expect((await queue.read('w1', 10, 0)).map((e) => e.payload)).toEqual(['a', 'c']);
    });

    it('joins the order key in the same step as adding once; a duplicate joins nothing', async () => {
      const queue = backend.queue('inbox');
      const first = await queue.addOnce('telegram:1', 60, 'chat-1 a', 'chat-1');
      expect(await queue.addOnce('telegram:1', 60, 'chat-1 a again', 'chat-1')).toBeNull();
      const second = await queue.addOnce('telegram:2', 60, 'chat-1 b', 'chat-1');
      const other = await queue.addOnce('telegram:3', 60, 'chat-2 a', 'chat-2');
      expect(first && second && other).toBeTruthy();
      expect(await queue.readiness(first!, { orderKey: 'chat-1' })).toBe('go');
      expect(await queue.readiness(second!, { orderKey: 'chat-1' })).toBe('wait');
      expect(await queue.readiness(other!, { orderKey: 'chat-2' })).toBe('go');
      const taken = await queue.read('w1', 10, 0);
      expect(taken.map((e) => e.payload)).toEqual(['chat-1 a', 'chat-1 b', 'chat-2 a']);
      await queue.ack(first!, 'chat-1');
      expect(await queue.readiness(second!, { orderKey: 'chat-1' })).toBe('go');
    });

    it('marks a done id with the ack, and tells a copy of that work done until the mark expires', async () => {
      const queue = backend.queue('outbox:telegram');
      const first = await queue.add('reply r1', 'chat-1');
      const copy = await queue.add('reply r1 again', 'chat-1');
      const unordered = await queue.add('reply r2');
      expect(await queue.readiness(first, { orderKey: 'chat-1', doneId: 'r1' })).toBe('go');
      expect(await queue.readiness(copy, { orderKey: 'chat-1', doneId: 'r1' })).toBe('wait');
      expect(await queue.readiness(unordered, { doneId: 'r2' })).toBe('go');
      await queue.read('w1', 10, 0);
      await queue.ack(first, 'chat-1', { id: 'r1', ttlSeconds: 1 });
      // Done before anything else is asked: the copy need not wait for its order either.
      expect(await queue.readiness(copy, { orderKey: 'chat-1', doneId: 'r1' })).toBe('done');
      expect(await queue.readiness(copy, { doneId: 'r1' })).toBe('done');
      expect(await queue.readiness(copy, { orderKey: 'chat-1' })).toBe('go');
      expect(await queue.readiness(unordered, { doneId: 'r2' })).toBe('go');
      await queue.ack(copy, 'chat-1');
      await queue.ack(unordered);
      expect(await queue.depth()).toEqual({ waiting: 0, pending: 0, dead: 0 });
      await backend.pass(1100);
      expect(await queue.readiness(copy, { doneId: 'r1' })).toBe('go');
    });

    it('hands out entries in order, once, and forgets acked ones', async () => {
      const queue = backend.queue('inbox');
      await queue.add('one');
      await queue.add('two');
      await queue.add('three');
      const first = await queue.read('w1', 2, 0);
      expect(first.map((e) => e.payload)).toEqual(['one', 'two']);
      expect(first.every((e) => e.deliveries === 1)).toBe(true);
      const second = await queue.read('w2', 10, 0);
      expect(second.map((e) => e.payload)).toEqual(['three']);
      for (const e of [...first, ...second]) await queue.ack(e.id);
      expect(await queue.depth()).toEqual({ waiting: 0, pending: 0, dead: 0 });
      expect(await queue.read('w1', 10, 0)).toEqual([]);
    });

    it('keeps each order key in the order entries were added, across consumers', async () => {
      const queue = backend.queue('outbox:telegram');
      const first = await queue.add('chat-1 a', 'chat-1');
      const other = await queue.add('chat-2 a', 'chat-2');
      const second = await queue.add('chat-1 b', 'chat-1');
      const unordered = await queue.add('chat-1 c');
      expect(await queue.readiness(first, { orderKey: 'chat-1' })).toBe('go');
      expect(await queue.readiness(second, { orderKey: 'chat-1' })).toBe('wait');
      expect(await queue.readiness(unordered, { orderKey: 'chat-1' })).toBe('wait');
      expect(await queue.readiness(other, { orderKey: 'chat-2' })).toBe('go');
      // Taken by two consumers: the later one still waits for the earlier one to be acked.
      const [a] = await queue.read('w1', 1, 0);
      await queue.read('w2', 2, 0);
      expect(await queue.readiness(second, { orderKey: 'chat-1' })).toBe('wait');
      await queue.ack(a!.id, 'chat-1');
      expect(await queue.readiness(second, { orderKey: 'chat-1' })).toBe('go');
      // An entry done without its key (dead-lettered) leaves the order too.
      await queue.deadLetter({ id: second, payload: 'chat-1 b', deliveries: 1 }, 'test');
      expect(await queue.readiness(unordered, { orderKey: 'chat-1' })).toBe('go');
    });

    it('counts waiting and pending entries', async () => {
      const queue = backend.queue('outbox:telegram');
      await queue.add('a');
      await queue.add('b');
      await queue.read('w1', 1, 0);
      expect(await queue.depth()).toEqual({ waiting: 1, pending: 1, dead: 0 });
    });

    it('lets another consumer reclaim what a dead consumer left pending, counting deliveries', async () => {
      const queue = backend.queue('inbox');
      await queue.add('payload');
      const [taken] = await queue.read('dying-worker', 1, 0);
      expect(taken).toBeDefined();
      expect(await queue.reclaim('w2', 200, 10)).toEqual([]);
      await backend.pass(250);
      const reclaimed = await queue.reclaim('w2', 200, 10);
      expect(reclaimed).toEqual([{ id: taken!.id, payload: 'payload', deliveries: 2 }]);
      await queue.ack(taken!.id);
      await backend.pass(250);
      expect(await queue.reclaim('w3', 200, 10)).toEqual([]);
    });

    it('moves a poison entry to the dead-letter queue instead of dropping it', async () => {
      const queue = backend.queue('inbox');
      await queue.add('poison');
      const [entry] = await queue.read('w1', 1, 0);
      await queue.deadLetter(entry!, 'handler failed 5 times');
      expect(await queue.depth()).toEqual({ waiting: 0, pending: 0, dead: 1 });
    });

    it('drops dead letters older than a time and keeps newer ones', async () => {
      const queue = backend.queue('inbox');
      await queue.add('poison');
      const [entry] = await queue.read('w1', 1, 0);
      await queue.deadLetter(entry!, 'test');
      expect(await queue.trimDeadBefore(0)).toBe(0);
      expect((await queue.depth()).dead).toBe(1);
      // 2100-01-01: every dead letter so far is older.
      expect(await queue.trimDeadBefore(Date.UTC(2100, 0, 1))).toBe(1);
      expect((await queue.depth()).dead).toBe(0);
    });

    it('wakes a blocked reader when an entry arrives', async () => {
      const queue = backend.queue('inbox');
      const reading = queue.read('w1', 1, 2000);
      await new Promise((r) => setTimeout(r, 50));
      await queue.add('late');
      expect((await reading).map((e) => e.payload)).toEqual(['late']);
    });
  });
});
