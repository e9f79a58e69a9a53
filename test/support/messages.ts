import type { InboundMessage } from '../../src/core/messages.js';

let counter = 0;

/** An inbound message as a channel adapter would produce it. */
export function inbound(text: string, extra: Partial<InboundMessage> = {}): InboundMessage {
  counter += 1;
  const user = extra.user ?? { channel: 'webchat' as const, id: 'user-1' };
  return {
    channel: user.channel,
    user,
    chat: { id: user.id, kind: 'private' },
    messageId: `m${counter}`,
    text,
    attachments: [],
    receivedAt: Date.UTC(2026, 10, 28, 12, 0, 0),
    ...extra,
  };
}

export function press(payload: string, extra: Partial<InboundMessage> = {}): InboundMessage {
  return inbound('', { ...extra, button: payload });
}

/** A first-person distress message that opens an imminent case (violence, passport, confinement). */
export const DISTRESS_TEXT = 'cứu tôi với, tôi bị nhốt ở Campuchia, họ lấy hộ chiếu và đánh tôi';
