import type { Logger } from 'pino';
import { decodePayload } from '../../core/engine/payload.js';
import type { Attachment, InboundMessage } from '../../core/messages.js';
import type { InboxEnvelope } from '../../pipeline/envelopes.js';
import type { ChannelSender } from '../../pipeline/outbox.js';
import type { ChannelAdapter } from '../../runtime/channel-adapter.js';
import { linksIn } from '../webchat/webchat-adapter.js';
import { type ZaloEvent, zaloEventSchema, zaloUserOf } from './zalo-events.js';
import type { ZaloUndeliverableLog } from './zalo-undeliverable-log.js';

/** User events the bot cannot read; the engine answers politely with what it can read. */
const UNSUPPORTED = new Set([
  'user_send_sticker',
  'user_send_gif',
  'user_send_location',
  'user_send_file',
  'user_send_audio',
  'user_send_video',
]);

/** Events that are not from a user talking to us (our own sends, receipts): ignored quietly. */
const QUIET = /^(oa_send_|user_received_message|user_seen_message|user_reacted_message|oa_reacted_message)/;

/** The Zalo OA channel: stored webhook events in, consultation messages out. */
export class ZaloAdapter implements ChannelAdapter {
  readonly channel = 'zalo' as const;

  constructor(
    readonly sender: ChannelSender,
    private readonly logger: Logger,
    private readonly delivery?: ZaloUndeliverableLog,
  ) {}

  toInbound(envelope: InboxEnvelope): InboundMessage[] {
    const parsed = zaloEventSchema.safeParse(envelope.payload);
    if (!parsed.success) {
      this.logger.warn({ channel: 'zalo' }, 'stored zalo event does not parse; skipped');
      return [];
    }
    const event = parsed.data;
    const userId = zaloUserOf(event);
    if (!userId) {
      this.logger.info({ channel: 'zalo', event: event.event_name }, 'zalo event without a user; ignored');
      return [];
    }
    const base: InboundMessage = {
      channel: 'zalo',
      user: { channel: 'zalo', id: userId },
      chat: { id: userId, kind: 'private' },
      messageId: event.message?.msg_id ?? envelope.dedupeId,
      text: '',
      attachments: [],
      receivedAt: envelope.receivedAt,
    };
    const name = event.event_name;
    if (name === 'user_send_text') return [this.textMessage(base, event)];
    if (name === 'user_send_link') return [linkMessage(base, event)];
    if (name === 'user_send_image') return [imageMessage(base, event)];
    if (name === 'follow') return [{ ...base, event: 'follow' }];
    if (name === 'unfollow') return [{ ...base, event: 'unfollow' }];
    if (UNSUPPORTED.has(name)) return [{ ...base, event: 'unsupported' }];
    if (QUIET.test(name)) return [];
    if (name.startsWith('user_send_')) {
      // A new kind of user message (business card...): still someone talking to us.
      this.logger.info(
        { channel: 'zalo', event: name },
        'unknown zalo user message kind; answered as unsupported',
      );
      return [{ ...base, event: 'unsupported' }];
    }
    this.logger.info({ channel: 'zalo', event: name }, 'unknown zalo event; acknowledged and ignored');
    return [];
  }

  /** A user who writes again is reachable again. */
  async onInbound(message: InboundMessage): Promise<void> {
    if (!this.delivery || message.event === 'unfollow') return;
    if ((await this.delivery.unreachableSince(message.user.id)) !== undefined) {
      await this.delivery.markReachable(message.user.id);
    }
  }

  private textMessage(base: InboundMessage, event: ZaloEvent): InboundMessage {
    const text = (event.message?.text ?? '').normalize('NFC');
    // oa.query.hide buttons come back as a text message carrying the payload.
    const trimmed = text.trim();
    if (decodePayload(trimmed)) return { ...base, button: trimmed };
    return { ...base, text, attachments: linksIn(text) };
  }
}

function linkMessage(base: InboundMessage, event: ZaloEvent): InboundMessage {
  const message = event.message;
  const links: Attachment[] = (message?.attachments ?? [])
    .filter((a) => a.payload?.url)
    .slice(0, 10)
    .map((a) => ({ kind: 'link', url: a.payload!.url }));
  // The preview's title and description often carry the offer itself: give them to the checker.
  const pieces = [
    message?.text,
    ...(message?.attachments ?? []).flatMap((a) => [a.payload?.title, a.payload?.description]),
  ].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  const text = [...new Set(pieces)].join('\n').normalize('NFC');
  const inText = linksIn(text).filter((l) => !links.some((k) => k.url === l.url));
  return { ...base, text, attachments: [...links, ...inText] };
}

function imageMessage(base: InboundMessage, event: ZaloEvent): InboundMessage {
  const message = event.message;
  const images: Attachment[] = (message?.attachments ?? [])
    .filter((a) => a.type === 'image' || a.type === 'photo')
    .slice(0, 10)
    .map((a) => ({ kind: 'image', url: a.payload?.url }));
  const text = (message?.text ?? '').normalize('NFC');
  return { ...base, text, attachments: images.length > 0 ? images : [{ kind: 'image' }] };
}
