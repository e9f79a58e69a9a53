import { describe, expect, it } from 'vitest';
import { MemoryUserStore } from '../../../src/adapters/memory/memory-user-store.js';
import {
  MAX_IDS_PER_SIDE,
  TELEGRAM_USER_FIELDS,
  TelegramMessageLog,
} from '../../../src/adapters/telegram/telegram-message-log.js';
import { FakeClock } from '../../support/fake-clock.js';

const USER = { channel: 'telegram' as const, id: '42' };
const HOUR = 3600_000;

function setup() {
  const clock = new FakeClock();
  const users = new MemoryUserStore(30 * 86_400, clock);
  return { clock, users, log: new TelegramMessageLog(users, clock) };
}

describe('TelegramMessageLog', () => {
  it('remembers both sides and offers only ids young enough to delete', async () => {
    const { clock, log } = setup();
    await log.rememberInbound(USER, 1);
    await log.rememberOutbound(USER, [2]);
    clock.advance(47 * HOUR + 55 * 60_000); // within 48 h, but not with time to spare
    await log.rememberInbound(USER, 3);
    await log.rememberOutbound(USER, [4, 5]);
    expect(await log.peekDeletable(USER)).toEqual([3, 4, 5]);
    // Peeking does not forget: a retried deletion finds them again.
    expect(await log.peekDeletable(USER)).toEqual([3, 4, 5]);
  });

  it('forgets deleted ids and keeps the others', async () => {
    const { log, users } = setup();
    await log.rememberInbound(USER, 10);
    await log.rememberOutbound(USER, [11, 12]);
    await log.forget(USER, [10, 11]);
    expect(await log.peekDeletable(USER)).toEqual([12]);
    expect(await users.get(USER, TELEGRAM_USER_FIELDS.inboundIds)).toBeNull();
  });

  it('keeps at most the newest ids per side, so the record stays small', async () => {
    const { log, users } = setup();
    for (let id = 1; id <= MAX_IDS_PER_SIDE + 50; id++) await log.rememberInbound(USER, id);
    const ids = await log.peekDeletable(USER);
    expect(ids).toHaveLength(MAX_IDS_PER_SIDE);
    expect(ids[0]).toBe(51);
    expect((await users.get(USER, TELEGRAM_USER_FIELDS.inboundIds))!.length).toBeLessThan(
      MAX_IDS_PER_SIDE * 20,
    );
  });

  it('clears the unreachable mark when the user writes again', async () => {
    const { log, users } = setup();
    await log.markUnreachable(USER);
    expect(await users.get(USER, TELEGRAM_USER_FIELDS.unreachable)).not.toBeNull();
    await log.rememberInbound(USER, 1);
    expect(await users.get(USER, TELEGRAM_USER_FIELDS.unreachable)).toBeNull();
  });
});
