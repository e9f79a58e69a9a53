import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxEnvelope } from '../../src/pipeline/envelopes.js';
import { DISTRESS_TEXT, inbound } from '../support/messages.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('a distress message handled again after its worker died half-way', () => {
  it('is answered as the first time (same reply ids, same texts), with one case and one transcript line', async () => {
    t = await startTestServer({ redis: true });
    const user = { channel: 'webchat' as const, id: 'replay-session' };
    const message = inbound(DISTRESS_TEXT, {
      user,
      chat: { id: user.id, kind: 'private' },
      messageId: 'm-replay',
    });

    await t.server.runtime.handleMessage(message);
    // The worker died after storing the case and queuing replies, before saving the conversation.
    await t.server.container.users.erase(user);
    await t.server.runtime.handleMessage(message);

    const queued = (await t.server.container.outbox('webchat').read('test', 100, 0)).map(
      (e) => JSON.parse(e.payload) as OutboxEnvelope,
    );
    const textsById = new Map<string, Set<string>>();
    for (const e of queued) textsById.set(e.id, (textsById.get(e.id) ?? new Set()).add(e.reply.text));
    // Every reply id stands for one text: the outbox sends each id once, so the person gets the
    // safety reply, "someone was alerted" and the first intake question, each once.
    expect([...textsById.values()].every((texts) => texts.size === 1)).toBe(true);
    const texts = [...textsById.values()].map((s) => [...s][0]);
    expect(texts).toHaveLength(3);
    expect(texts[0]).toContain('+84 981 84 84 84');
    expect(texts[1]).toBe(t.server.engine.texts.t('vi', 'safety.alerted'));
    expect(texts[2]).toBe(t.server.engine.texts.t('vi', 'safety.intake.safe_to_talk.question'));

    const cases = await t.server.container.cases.list('waiting');
    expect(cases).toHaveLength(1);
    const transcript = (await t.server.container.cases.get(cases[0]!.id))?.transcript ?? [];
    expect(transcript.filter((e) => e.from === 'user').map((e) => e.text)).toEqual([DISTRESS_TEXT]);
  });
});
