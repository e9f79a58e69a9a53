import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewCase } from '../../src/core/cases/case.js';
import type { OperatorEvent } from '../../src/ports/event-bus.js';
import { type CaseBackend, caseBackends } from './case-backends.js';

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const MIN = 60_000;

function newCase(userId: string, level: NewCase['level'] = 'high', extra: Partial<NewCase> = {}): NewCase {
  return {
    level,
    channel: 'telegram',
    userId,
    chatId: userId,
    locale: 'vi',
    signals: ['confined'],
    ...extra,
  };
}

describe.each(caseBackends)('case contract: $name', ({ open }) => {
  let backend: CaseBackend;
  beforeEach(() => {
    backend = open();
  });
  afterEach(async () => {
    await backend.close();
  });

  describe('CaseStore', () => {
    it('opens a waiting case with what the runtime knows, and reads it back', async () => {
      const cases = backend.cases();
      const { case: c, created } = await cases.createOrGetOpen(
        newCase('u1', 'imminent', {
          discreet: true,
          intake: { country: 'KH' },
          transcript: [{ at: T0, from: 'user', text: 'cứu tôi' }],
          origin: 'telegram:u1:42',
        }),
        T0,
      );
      expect(created).toBe(true);
      expect(c).toMatchObject({
        state: 'waiting',
        level: 'imminent',
        discreet: true,
        intake: { country: 'KH' },
      });
      const read = await cases.get(c.id);
      expect(read?.transcript.map((e) => e.text)).toEqual(['cứu tôi']);
      expect(read?.transcript[0]?.id).toBeTruthy();
      expect(read?.origin).toBe('telegram:u1:42');
      expect(await cases.getOpenForUser({ channel: 'telegram', id: 'u1' })).toMatchObject({
        id: c.id,
        origin: 'telegram:u1:42',
      });
      expect(await cases.getOpenForUser({ channel: 'zalo', id: 'u1' })).toBeNull();
      expect(await cases.get('no-such-case')).toBeNull();
    });

    it('gives a user who writes again the same open case, even when asked at once many times', async () => {
      const cases = backend.cases();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => cases.createOrGetOpen(newCase('u1'), T0)),
      );
      const ids = new Set(results.map((r) => r.case.id));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await cases.list('waiting')).toHaveLength(1);
    });

    it('opens a new case once the previous one is resolved', async () => {
      const cases = backend.cases();
      const first = (await cases.createOrGetOpen(newCase('u1'), T0)).case;
      await cases.resolve(first.id, undefined, 'advice_given', T0 + MIN);
      expect(await cases.getOpenForUser({ channel: 'telegram', id: 'u1' })).toBeNull();
      const second = await cases.createOrGetOpen(newCase('u1'), T0 + 2 * MIN);
      expect(second.created).toBe(true);
      expect(second.case.id).not.toBe(first.id);
    });

    it('lists the queue by level first, then oldest first', async () => {
      const cases = backend.cases();
      const concernOld = (await cases.createOrGetOpen(newCase('a', 'concern'), T0)).case;
      const highNew = (await cases.createOrGetOpen(newCase('b', 'high'), T0 + 3 * MIN)).case;
      const imminentNew = (await cases.createOrGetOpen(newCase('c', 'imminent'), T0 + 5 * MIN)).case;
      const highOld = (await cases.createOrGetOpen(newCase('d', 'high'), T0 + MIN)).case;
      const list = await cases.list('waiting');
      expect(list.map((c) => c.id)).toEqual([imminentNew.id, highOld.id, highNew.id, concernOld.id]);
      expect(list[0]).not.toHaveProperty('transcript');
    });

    it('raises a level only upward and moves the case up the queue', async () => {
      const cases = backend.cases();
      const a = (await cases.createOrGetOpen(newCase('a', 'high'), T0)).case;
      const b = (await cases.createOrGetOpen(newCase('b', 'concern'), T0 + MIN)).case;
      const raised = await cases.raiseLevel(b.id, 'imminent', ['minor'], T0 + 2 * MIN);
      expect(raised.ok && raised.case.level).toBe('imminent');
      expect(raised.ok && raised.case.signals).toEqual(['confined', 'minor']);
      const lowered = await cases.raiseLevel(b.id, 'concern', [], T0 + 3 * MIN);
      expect(lowered.ok && lowered.case.level).toBe('imminent');
      expect((await cases.list('waiting')).map((c) => c.id)).toEqual([b.id, a.id]);
    });

    it('records a level the language model set, at opening or on a raise, and keeps it when rules go higher', async () => {
      const cases = backend.cases();
      const opened = (await cases.createOrGetOpen(newCase('m', 'high', { raisedByModel: 'high' }), T0)).case;
      expect((await cases.get(opened.id))?.raisedByModel).toBe('high');
      expect((await cases.list('waiting'))[0]?.raisedByModel).toBe('high');
      const plain = (await cases.createOrGetOpen(newCase('r', 'concern'), T0)).case;
      expect(plain.raisedByModel).toBeUndefined();
      const same = await cases.raiseLevel(plain.id, 'concern', ['x'], T0 + MIN, true);
      expect(same.ok && same.case.raisedByModel).toBeUndefined();
      const up = await cases.raiseLevel(plain.id, 'high', [], T0 + MIN, true);
      expect(up.ok && up.case).toMatchObject({ level: 'high', raisedByModel: 'high' });
      const byRules = await cases.raiseLevel(plain.id, 'imminent', [], T0 + 2 * MIN);
      expect(byRules.ok && byRules.case).toMatchObject({ level: 'imminent', raisedByModel: 'high' });
      expect((await cases.get(plain.id))?.raisedByModel).toBe('high');
    });

    it('lets exactly one of two concurrent claims win', async () => {
      const cases = backend.cases();
      const c = (await cases.createOrGetOpen(newCase('u1'), T0)).case;
      const [one, two] = await Promise.all([
        cases.claim(c.id, 'lan', T0 + MIN),
        cases.claim(c.id, 'minh', T0 + MIN),
      ]);
      const outcomes = [one, two].map((r) => (r.ok ? 'ok' : r.reason)).sort();
      expect(outcomes).toEqual(['conflict', 'ok']);
      const stored = await cases.get(c.id);
      expect(stored?.state).toBe('claimed');
      expect(['lan', 'minh']).toContain(stored?.assignee);
      expect(await cases.list('waiting')).toEqual([]);
      expect((await cases.list('claimed')).map((x) => x.id)).toEqual([c.id]);
    });

    it('releases only for the assignee (or the system) and resolves with an outcome', async () => {
      const cases = backend.cases();
      const c = (await cases.createOrGetOpen(newCase('u1'), T0)).case;
      await cases.claim(c.id, 'lan', T0 + MIN);
      expect(await cases.release(c.id, 'minh', T0 + 2 * MIN)).toEqual({ ok: false, reason: 'not_assignee' });
      const released = await cases.release(c.id, 'lan', T0 + 2 * MIN);
      expect(released.ok && released.case.state).toBe('waiting');
      expect(released.ok && released.case.assignee).toBeUndefined();
      expect(released.ok && released.case.firstClaimedAt).toBe(T0 + MIN);
      await cases.claim(c.id, 'minh', T0 + 3 * MIN);
      const resolved = await cases.resolve(c.id, 'minh', 'referred_to_consulate', T0 + 4 * MIN);
      expect(resolved.ok && resolved.case).toMatchObject({
        state: 'resolved',
        outcome: 'referred_to_consulate',
      });
      expect(await cases.resolve(c.id, 'minh', 'advice_given', T0 + 5 * MIN)).toEqual({
        ok: false,
        reason: 'resolved',
      });
      expect((await cases.list('resolved')).map((x) => x.id)).toEqual([c.id]);
      expect(await cases.claim('nope', 'lan', T0)).toEqual({ ok: false, reason: 'not_found' });
    });

    it('keeps the transcript capped and records delivery states', async () => {
      const cases = backend.cases();
      const c = (await cases.createOrGetOpen(newCase('u1'), T0)).case;
      const many = Array.from({ length: 205 }, (_, i) => ({
        at: T0 + i,
        from: 'user' as const,
        text: `m${i}`,
      }));
      await cases.appendTranscript(c.id, many);
      const [sent] = await cases.appendTranscript(c.id, [
        { at: T0 + 999, from: 'operator', author: 'lan', text: 'Chào bạn', delivery: 'queued' },
      ]);
      expect(sent?.id).toBeTruthy();
      expect(await cases.setDelivery(c.id, sent!.id, 'failed', 'blocked')).toBe(true);
      expect(await cases.setDelivery(c.id, 'unknown', 'sent')).toBe(false);
      const read = await cases.get(c.id);
      expect(read?.transcript).toHaveLength(200);
      expect(read?.transcript[0]?.text).toBe('m6');
      expect(read?.transcript.at(-1)).toMatchObject({
        text: 'Chào bạn',
        delivery: 'failed',
        failure: 'blocked',
      });
      expect(await cases.appendTranscript('missing', [{ at: T0, from: 'user', text: 'x' }])).toEqual([]);
    });

    it('keeps notes, intake, unreachable and forget flags', async () => {
      const cases = backend.cases();
      const c = (await cases.createOrGetOpen(newCase('u1'), T0)).case;
      await cases.addNote(c.id, 'lan', 'called the consulate', T0 + MIN);
      await cases.setIntake(c.id, { country: 'KH', minor: 'yes' }, T0 + MIN);
      await cases.markUnreachable(c.id, 'bot_blocked', T0 + MIN);
      await cases.markForgetRequested(c.id, T0 + MIN);
      const read = await cases.get(c.id);
      expect(read).toMatchObject({
        notes: [{ author: 'lan', text: 'called the consulate', at: T0 + MIN }],
        intake: { country: 'KH', minor: 'yes' },
        minor: true,
        unreachable: 'bot_blocked',
        forgetRequested: true,
      });
    });

    it('forgets the person in a resolved case only, keeping what statistics need', async () => {
      const cases = backend.cases();
      const c = (await cases.createOrGetOpen(newCase('u9'), T0)).case;
      await cases.addNote(c.id, 'lan', 'her sister is in Phnom Penh', T0 + MIN);
      await cases.setIntake(c.id, { country: 'KH' }, T0 + MIN);
      expect(await cases.forgetPerson(c.id, T0 + MIN)).toEqual({ ok: false, reason: 'conflict' });
      await cases.resolve(c.id, undefined, 'advice_given', T0 + 2 * MIN);
      const done = await cases.forgetPerson(c.id, T0 + 3 * MIN);
      expect(done.ok).toBe(true);
      const read = await cases.get(c.id);
      expect(read).toMatchObject({
        state: 'resolved',
        outcome: 'advice_given',
        level: c.level,
        userId: 'forgotten',
        chatId: 'forgotten',
        intake: {},
        notes: [],
        transcript: [],
        forgetRequested: true,
      });
      expect(JSON.stringify(read)).not.toContain('u9');
      expect(await cases.forgetPerson('missing', T0)).toEqual({ ok: false, reason: 'not_found' });
    });

    it('lists SLA breaches with a fake clock and counts alerts', async () => {
      const cases = backend.cases();
      const imminent = (await cases.createOrGetOpen(newCase('a', 'imminent'), T0)).case;
      const concern = (await cases.createOrGetOpen(newCase('b', 'concern'), T0)).case;
      expect(await cases.listSlaBreaches(T0 + 119_000)).toEqual([]);
      expect((await cases.listSlaBreaches(T0 + 120_000)).map((c) => c.id)).toEqual([imminent.id]);
      const marked = await cases.markSlaAlert(imminent.id, T0 + 120_000);
      expect(marked.ok && marked.case).toMatchObject({ slaBreachedAt: T0 + 120_000, alertCount: 1 });
      expect((await cases.listSlaBreaches(T0 + 3600_000)).map((c) => c.id)).toEqual([
        imminent.id,
        concern.id,
      ]);
      await cases.claim(imminent.id, 'lan', T0 + 3600_000);
      expect((await cases.listSlaBreaches(T0 + 3600_000)).map((c) => c.id)).toEqual([concern.id]);
    });

    it('lists claims whose operator went silent, and a message restarts the timer', async () => {
      const cases = backend.cases();
      const a = (await cases.createOrGetOpen(newCase('a'), T0)).case;
      const b = (await cases.createOrGetOpen(newCase('b'), T0)).case;
      await cases.claim(a.id, 'lan', T0);
      await cases.claim(b.id, 'minh', T0);
      await cases.touchOperator(b.id, T0 + 10 * MIN);
      expect((await cases.listIdleClaims(T0 + 15 * MIN, 15 * MIN)).map((c) => c.id)).toEqual([a.id]);
      expect(await cases.listIdleClaims(T0 + 14 * MIN, 15 * MIN)).toEqual([]);
    });

    it('purges resolved cases past retention with their transcript and audit', async () => {
      const cases = backend.cases();
      const old = (await cases.createOrGetOpen(newCase('a'), T0)).case;
      const recent = (await cases.createOrGetOpen(newCase('b'), T0)).case;
      const open = (await cases.createOrGetOpen(newCase('c'), T0)).case;
      await cases.appendTranscript(old.id, [{ at: T0, from: 'user', text: 'x' }]);
      await cases.audit({ at: T0, actor: 'lan', action: 'resolve', caseId: old.id });
      await cases.resolve(old.id, undefined, 'advice_given', T0 + MIN);
      await cases.resolve(recent.id, undefined, 'advice_given', T0 + 60 * MIN);
      expect(await cases.purgeResolvedBefore(T0 + 30 * MIN)).toBe(1);
      expect(await cases.get(old.id)).toBeNull();
      expect(await cases.readAudit(old.id)).toEqual([]);
      expect(await cases.get(recent.id)).not.toBeNull();
      expect(await cases.get(open.id)).not.toBeNull();
      expect((await cases.list('resolved')).map((c) => c.id)).toEqual([recent.id]);
    });

    it('erases one case and frees the user for a new one', async () => {
      const cases = backend.cases();
      const c = (await cases.createOrGetOpen(newCase('a'), T0)).case;
      expect(await cases.erase(c.id)).toBe(true);
      expect(await cases.erase(c.id)).toBe(false);
      expect(await cases.getOpenForUser({ channel: 'telegram', id: 'a' })).toBeNull();
      expect(await cases.list('waiting')).toEqual([]);
      expect((await cases.createOrGetOpen(newCase('a'), T0)).created).toBe(true);
    });

    it('keeps an audit trail per case, oldest first', async () => {
      const cases = backend.cases();
      await cases.audit({ at: T0, actor: 'system', action: 'created', caseId: 'c1', detail: 'level=high' });
      await cases.audit({ at: T0 + 1, actor: 'lan', action: 'claim', caseId: 'c1' });
      await cases.audit({ at: T0 + 2, actor: 'lan', action: 'claim', caseId: 'c2' });
      expect(await cases.readAudit('c1')).toEqual([
        { at: T0, actor: 'system', action: 'created', caseId: 'c1', detail: 'level=high' },
        { at: T0 + 1, actor: 'lan', action: 'claim', caseId: 'c1' },
      ]);
    });
  });

  describe('OperatorStore', () => {
    it('shows a secret once, stores no plain secret, and verifies by name or by secret alone', async () => {
      const ops = backend.operators();
      const added = await ops.add('lan', 'operator', T0);
      expect(added.secret.length).toBeGreaterThanOrEqual(24);
      expect(await ops.verify('lan', added.secret)).toMatchObject({ name: 'lan', role: 'operator' });
      expect(await ops.verify(undefined, added.secret)).toMatchObject({ name: 'lan' });
      expect(await ops.verify('minh', added.secret)).toBeNull();
      expect(await ops.verify('lan', `${added.secret}x`)).toBeNull();
      expect(JSON.stringify(await ops.list())).not.toContain(added.secret);
      await expect(ops.add('lan', 'supervisor', T0)).rejects.toThrow(/exists/);
      expect(await ops.count()).toBe(1);
    });

    it('disables an account and resets a secret', async () => {
      const ops = backend.operators();
      const lan = await ops.add('lan', 'operator', T0);
      const boss = await ops.add('boss', 'supervisor', T0);
      const fresh = await ops.reset('lan');
      expect(fresh).toBeTruthy();
      expect(await ops.verify('lan', lan.secret)).toBeNull();
      expect(await ops.verify(undefined, fresh!)).toMatchObject({ name: 'lan' });
      expect(await ops.disable('boss')).toBe(true);
      expect(await ops.verify('boss', boss.secret)).toBeNull();
      expect(await ops.disable('nobody')).toBe(false);
      expect(await ops.reset('nobody')).toBeNull();
      expect(await ops.list()).toEqual([
        { name: 'boss', role: 'supervisor', disabled: true, createdAt: T0 },
        { name: 'lan', role: 'operator', disabled: false, createdAt: T0 },
      ]);
    });

    it('keeps sessions until they expire or are deleted', async () => {
      const ops = backend.operators();
      const s = await ops.createSession('lan', T0);
      expect(s.csrfToken).not.toBe(s.id);
      expect(s.idleExpiresAt).toBe(T0 + 60 * MIN);
      expect(await ops.getSession(s.id, T0 + MIN)).toEqual({ ...s, idleExpiresAt: T0 + 61 * MIN });
      // Used every 50 minutes it lives to its absolute end (12 h), and not a minute longer.
      let at = T0 + MIN;
      while (at + 50 * MIN < T0 + 12 * 3600_000) {
        at += 50 * MIN;
        expect(await ops.getSession(s.id, at)).not.toBeNull();
      }
      expect(await ops.getSession(s.id, T0 + 12 * 3600_000)).toBeNull();
      // Left alone past the idle period, it ends (and stays ended).
      const idle = await ops.createSession('lan', T0);
      expect(await ops.getSession(idle.id, T0 + 60 * MIN)).toBeNull();
      expect(await ops.getSession(idle.id, T0 + MIN)).toBeNull();
      const t = await ops.createSession('lan', T0);
      await ops.deleteSession(t.id);
      expect(await ops.getSession(t.id, T0)).toBeNull();
      expect(await ops.getSession('made-up', T0)).toBeNull();
    });

    it('locks a subject out after repeated failures, and a success clears the count', async () => {
      const ops = backend.operators({ maxFailures: 3, windowMs: 60_000, lockMs: 60_000 });
      await ops.recordFailure('lan', T0);
      await ops.recordFailure('lan', T0);
      await ops.clearFailures('lan');
      await ops.recordFailure('lan', T0);
      await ops.recordFailure('lan', T0);
      expect(await ops.isLockedOut('lan', T0)).toBe(false);
      expect(await ops.recordFailure('lan', T0)).toBe(true);
      expect(await ops.isLockedOut('lan', T0)).toBe(true);
      expect(await ops.isLockedOut('minh', T0)).toBe(false);
    });

    it('applies a policy given with a failure, and says which failure locked', async () => {
      const ops = backend.operators();
      const strict = { maxFailures: 2, windowMs: 60_000, lockMs: 60_000 };
      expect(await ops.recordFailure('pair:lan@203.0.113.7', T0, strict)).toBe(false);
      expect(await ops.isLockedOut('pair:lan@203.0.113.7', T0)).toBe(false);
      expect(await ops.recordFailure('pair:lan@203.0.113.7', T0, strict)).toBe(true);
      expect(await ops.isLockedOut('pair:lan@203.0.113.7', T0)).toBe(true);
      // One failure is enough under a policy of one.
      expect(await ops.recordFailure('pair:lan@2001:db8::1', T0, { ...strict, maxFailures: 1 })).toBe(true);
      expect(await ops.isLockedOut('pair:lan@2001:db8::1', T0)).toBe(true);
      expect(await ops.isLockedOut('pair:lan@198.51.100.1', T0)).toBe(false);
    });

    it('counts failures without ever locking, per subject', async () => {
      const ops = backend.operators({ maxFailures: 2, windowMs: 60_000, lockMs: 60_000 });
      for (let i = 1; i <= 6; i++) expect(await ops.countFailure('name:lan', T0, 60_000)).toBe(i);
      expect(await ops.isLockedOut('name:lan', T0)).toBe(false);
      expect(await ops.countFailure('name:minh', T0, 60_000)).toBe(1);
    });
  });

  describe('EventBus', () => {
    it('delivers events to subscribers in other processes, without any extra fields', async () => {
      const [a, b] = backend.events();
      const seen: OperatorEvent[] = [];
      b.subscribe((e) => seen.push(e));
      await b.subscribed();
      const leaky = {
        type: 'message',
        caseId: 'c1',
        level: 'high',
        at: T0,
        text: 'secret words',
      } as OperatorEvent;
      await a.publish(leaky);
      for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(seen).toEqual([{ type: 'message', caseId: 'c1', level: 'high', at: T0 }]);
    });
  });
});
