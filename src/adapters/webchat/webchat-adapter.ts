import { z } from 'zod';
import type { Attachment, InboundMessage } from '../../core/messages.js';
import type { InboxEnvelope, OutboxEnvelope } from '../../pipeline/envelopes.js';
import type { ChannelSender } from '../../pipeline/outbox.js';
import type { WebchatMailbox } from '../../ports/webchat-mailbox.js';
import type { ChannelAdapter } from '../../runtime/channel-adapter.js';

export const SESSION_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;
export const MAX_WEBCHAT_TEXT = 4000;

/** What the page posts (and what the inbox keeps for the worker). */
export const webchatMessageSchema = z
  .object({
    session: z.string().regex(SESSION_PATTERN, 'must be the session id the server issued'),
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ -'),
    text: z.string().max(MAX_WEBCHAT_TEXT, `must be at most ${MAX_WEBCHAT_TEXT} characters`).optional(),
    button: z.string().max(64).optional(),
    lang: z.enum(['vi', 'en']).optional(),
  })
  .refine((m) => (m.text !== undefined && m.text.trim() !== '') || m.button !== undefined, {
    message: 'send text or a button',
  });
export type WebchatMessage = z.output<typeof webchatMessageSchema>;

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']{3,2000}/gi;

/** Links in a text, as attachments for the offer checker. */
export function linksIn(text: string): Attachment[] {
  return [...text.matchAll(URL_PATTERN)].slice(0, 10).map((m) => ({ kind: 'link' as const, url: m[0] }));
}

/** The web chat channel: the inbound half parses posted messages; the sender fills the mailbox. */
export class WebchatAdapter implements ChannelAdapter {
  readonly channel = 'webchat' as const;
  readonly sender: ChannelSender;

  constructor(private readonly mailbox: WebchatMailbox) {
    this.sender = {
      channel: 'webchat',
      // The browser is ours: no platform limit, only a sane ceiling.
      limits: { perSecond: 2000, perChatPerSecond: 100, perChatBurst: 100 },
      send: async (envelope: OutboxEnvelope) => {
        await this.mailbox.push(envelope.chatId, envelope.reply, envelope.createdAt);
      },
    };
  }

  toInbound(envelope: InboxEnvelope): InboundMessage[] {
    const parsed = webchatMessageSchema.safeParse(envelope.payload);
    if (!parsed.success) return [];
    const m = parsed.data;
    const text = (m.text ?? '').normalize('NFC');
    return [
      {
        channel: 'webchat',
        user: { channel: 'webchat', id: m.session },
        chat: { id: m.session, kind: 'private' },
        messageId: m.id,
        text: m.button !== undefined ? '' : text,
        button: m.button,
        attachments: linksIn(text),
        localeHint: m.lang,
        receivedAt: envelope.receivedAt,
      },
    ];
  }
}
