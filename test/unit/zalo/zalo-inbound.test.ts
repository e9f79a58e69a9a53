import { describe, expect, it } from 'vitest';
import { ZaloAdapter } from '../../../src/adapters/zalo/zalo-adapter.js';
import { zaloDedupeId, zaloEventSchema } from '../../../src/adapters/zalo/zalo-events.js';
import { parseJsonKeepingBigInts } from '../../../src/adapters/zalo/zalo-json.js';
import { zaloError } from '../../../src/adapters/zalo/zalo-sender.js';
import { encodePayload } from '../../../src/core/engine/payload.js';
import { createLogger } from '../../../src/observability/logger.js';
import type { InboxEnvelope } from '../../../src/pipeline/envelopes.js';

const sender = {
  channel: 'zalo' as const,
  limits: { perSecond: 60, perChatPerSecond: 1, perChatBurst: 3 },
  send: async () => {},
};
const adapter = new ZaloAdapter(sender, createLogger('silent'));
const USER = '8877665544332211009';

function envelope(event: Record<string, unknown>): InboxEnvelope {
  const parsed = zaloEventSchema.parse({ app_id: '1', timestamp: '1700000000000', ...event });
  return { v: 1, channel: 'zalo', dedupeId: zaloDedupeId(parsed), receivedAt: 5, payload: parsed };
}
const userEvent = (event_name: string, message: Record<string, unknown> = {}) =>
  envelope({
    event_name,
    sender: { id: USER },
    recipient: { id: '9' },
    message: { msg_id: 'm1', ...message },
  });

describe('parseJsonKeepingBigInts', () => {
  it('keeps integers above 2^53 exact as strings and leaves strings and small numbers alone', () => {
    const value = parseJsonKeepingBigInts(
      '{"id":8877665544332211009,"neg":-12345678901234567,"s":"12345678901234567890","n":42,"f":1.5e3,"q":"a\\"9999999999999999"}',
    );
    expect(value).toEqual({
      id: '8877665544332211009',
      neg: '-12345678901234567',
      s: '12345678901234567890',
      n: 42,
      f: 1500,
      q: 'a"9999999999999999',
    });
  });
});

describe('ZaloAdapter.toInbound', () => {
  it('reads a text message with the sender as user and chat', () => {
    const [m] = adapter.toInbound(userEvent('user_send_text', { text: 'xem https://a.example/x' }));
    expect(m).toMatchObject({
      channel: 'zalo',
      user: { channel: 'zalo', id: USER },
      chat: { id: USER, kind: 'private' },
      messageId: 'm1',
      text: 'xem https://a.example/x',
      attachments: [{ kind: 'link', url: 'https://a.example/x' }],
      receivedAt: 5,
    });
  });

  it('reads a button payload sent back as text as a button press', () => {
    const payload = encodePayload('sess1', { kind: 'node_button', node: 'menu', index: 2 });
    const [m] = adapter.toInbound(userEvent('user_send_text', { text: payload }));
    expect(m?.button).toBe(payload);
    expect(m?.text).toBe('');
  });

  it('gives a link and its preview text to the checker', () => {
    const [m] = adapter.toInbound(
      userEvent('user_send_link', {
        text: 'https://jobs.example/1',
        attachments: [
          { type: 'link', payload: { url: 'https://jobs.example/1', title: 'Việc nhẹ lương cao' } },
        ],
      }),
    );
    expect(m?.attachments).toEqual([{ kind: 'link', url: 'https://jobs.example/1' }]);
    expect(m?.text).toContain('Việc nhẹ lương cao');
  });

  it('keeps an image as an attachment reference', () => {
    const [m] = adapter.toInbound(
      userEvent('user_send_image', {
        attachments: [{ type: 'image', payload: { url: 'https://img.example/1.jpg' } }],
      }),
    );
    expect(m?.attachments).toEqual([{ kind: 'image', url: 'https://img.example/1.jpg' }]);
  });

  it('answers stickers, files and the like as unsupported', () => {
    for (const name of [
      'user_send_sticker',
      'user_send_gif',
      'user_send_location',
      'user_send_file',
      'user_send_audio',
      'user_send_video',
    ]) {
      expect(adapter.toInbound(userEvent(name))[0]?.event).toBe('unsupported');
    }
  });

  it('turns follow and unfollow into events, with the follower as user and a stable dedupe id', () => {
    const follow = envelope({ event_name: 'follow', follower: { id: USER }, oa_id: '9' });
    expect(follow.dedupeId).toBe(`e:follow:${USER}:1700000000000`);
    expect(adapter.toInbound(follow)[0]).toMatchObject({ event: 'follow', user: { id: USER } });
    const unfollow = envelope({ event_name: 'unfollow', follower: { id: USER }, oa_id: '9' });
    expect(adapter.toInbound(unfollow)[0]?.event).toBe('unfollow');
  });

  it('ignores unknown events and our own sends', () => {
    expect(adapter.toInbound(envelope({ event_name: 'oa_send_text', sender: { id: '9' } }))).toEqual([]);
    expect(adapter.toInbound(envelope({ event_name: 'something_new', sender: { id: USER } }))).toEqual([]);
  });
});

describe('zaloError', () => {
  it('maps Zalo errors to what the outbox should do', () => {
    expect(zaloError(-230)).toMatchObject({ code: 'ZALO_OUTSIDE_WINDOW', permanent: true });
    expect(zaloError(-232)).toMatchObject({ code: 'ZALO_OUTSIDE_WINDOW', permanent: true });
    expect(zaloError(-213)).toMatchObject({ code: 'ZALO_OUTSIDE_WINDOW', permanent: true });
    expect(zaloError(-201)).toMatchObject({ code: 'ZALO_BAD_PARAMETER', permanent: true });
    expect(zaloError(-32)).toMatchObject({ code: 'ZALO_RATE_LIMITED', permanent: false });
    expect(zaloError(-211)).toMatchObject({ code: 'ZALO_RATE_LIMITED', permanent: false });
    expect(zaloError(-216)).toMatchObject({ permanent: false });
  });
});
