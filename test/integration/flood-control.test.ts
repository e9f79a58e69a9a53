import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../support/fake-clock.js';
import { inbound } from '../support/messages.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('per-user flood control', () => {
  it('answers one "slow down" past the limit, drops the rest, and still escalates distress', async () => {
    // A fixed clock: on a loaded machine the 25 messages could otherwise straddle two minutes.
    t = await startTestServer({
      redis: true,
      env: { USER_MESSAGES_PER_MINUTE: '10' },
      clock: new FakeClock(),
    });
    const { server } = t;
    const user = { channel: 'webchat' as const, id: 'floodersession000000000000' };
    for (let i = 0; i < 25; i++) await server.runtime.handleMessage(inbound(`tin nhắn số ${i}`, { user }));
    await server.drain();
    const replies = (await server.mailbox.readAfter(user.id, undefined, 200)).map((item) => item.reply.text);
    const slowDown = server.engine.texts.t('vi', 'engine.slow_down');
    expect(replies.filter((text) => text === slowDown)).toHaveLength(1);
    const answeredBeforeLimit = replies.indexOf(slowDown);
    const afterLimit = replies.slice(answeredBeforeLimit + 1);
    expect(afterLimit).toEqual([]);

    await server.runtime.handleMessage(inbound('cứu tôi, họ nhốt tôi và đánh tôi', { user }));
    await server.drain();
    expect(await server.container.cases.getOpenForUser(user)).not.toBeNull();
  });
});
