import { describe, expect, it } from 'vitest';
import { MemoryUserStore } from '../../../src/adapters/memory/memory-user-store.js';
import { ZaloSender } from '../../../src/adapters/zalo/zalo-sender.js';
import { ZaloUndeliverableLog } from '../../../src/adapters/zalo/zalo-undeliverable-log.js';
import { ChannelApiError } from '../../../src/errors.js';
import { createLogger } from '../../../src/observability/logger.js';
import type { OutboxEnvelope } from '../../../src/pipeline/envelopes.js';
import type { ZaloTokens } from '../../../src/ports/zalo-token-store.js';

const envelope: OutboxEnvelope = {
  v: 1,
  id: 'zalo:42:m1:0',
  channel: 'zalo',
  chatId: '42',
  userId: '42',
  reply: { text: 'Chị ơi, em đây', from: 'operator' },
  createdAt: 1,
  caseId: 'case-7',
};

function setup(answers: number[]) {
  const calls: Array<{ token: string; body: unknown }> = [];
  const api = {
    sendCs: async (token: string, body: unknown) => {
      calls.push({ token, body });
      return { error: answers.shift() ?? 0 };
    },
  };
  let current = 'at-1';
  const tokens = {
    accessToken: async () => current,
    refresh: async (): Promise<ZaloTokens> => {
      current = 'at-2';
      return { accessToken: current, refreshToken: 'r', expiresAt: 0, seed: '', updatedAt: 0 };
    },
  };
  const users = new MemoryUserStore(3600);
  const log = new ZaloUndeliverableLog(users, { now: () => 1000 });
  const hooked: Array<{ id: string; code: string }> = [];
  const sender = new ZaloSender({
    api,
    tokens,
    undeliverable: log,
    logger: createLogger('silent'),
    onUndeliverable: async (e, error) => void hooked.push({ id: e.id, code: error.code }),
  });
  return { sender, calls, log, hooked };
}

describe('ZaloSender', () => {
  it('records a reply outside the 7-day window and tells the hook, without retrying', async () => {
    const { sender, calls, log, hooked } = setup([-230]);
    const error = await sender.send(envelope).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelApiError);
    expect(error).toMatchObject({ code: 'ZALO_OUTSIDE_WINDOW', permanent: true });
    expect(calls).toHaveLength(1);
    expect(await log.list('42')).toEqual([
      {
        id: envelope.id,
        at: 1000,
        code: 'ZALO_OUTSIDE_WINDOW',
        zaloError: -230,
        caseId: 'case-7',
        fromOperator: true,
      },
    ]);
    expect(hooked).toEqual([{ id: envelope.id, code: 'ZALO_OUTSIDE_WINDOW' }]);
  });

  it('refreshes once on -220 and sends with the new token; a second refusal is retryable', async () => {
    const ok = setup([-220]);
    await ok.sender.send(envelope);
    expect(ok.calls.map((c) => c.token)).toEqual(['at-1', 'at-2']);
    expect(ok.calls[1]?.body).toEqual({ recipient: { user_id: '42' }, message: { text: 'Chị ơi, em đây' } });

    const twice = setup([-216, -216]);
    await expect(twice.sender.send(envelope)).rejects.toMatchObject({ permanent: false });
    expect(twice.calls).toHaveLength(2);
    expect(await twice.log.list('42')).toEqual([]);
  });

  it('does not resend parts of a long reply that already went out', async () => {
    const { sender, calls } = setup([0, -32]);
    const long = { ...envelope, reply: { text: `${'a '.repeat(1500)}b` } };
    await expect(sender.send(long)).rejects.toMatchObject({ code: 'ZALO_RATE_LIMITED', permanent: false });
    await sender.send(long);
    expect(calls).toHaveLength(3);
    expect(calls[1]?.body).toEqual(calls[2]?.body);
  });
});
