import type { InboundMessage, Reply, ReplyButton } from '../../core/messages.js';
import type { InboxEnvelope } from '../../pipeline/envelopes.js';
import type { ChannelSender } from '../../pipeline/outbox.js';
import type { ChannelAdapter } from '../../runtime/channel-adapter.js';
import { linksIn } from '../webchat/webchat-adapter.js';

export interface TerminalInput {
  id: string;
  text?: string;
  button?: string;
}

/**
 * The terminal chat channel (`npm run chat`): one local user, replies printed with their buttons
 * as numbered choices. `onReply` receives each reply in order.
 */
export class TerminalAdapter implements ChannelAdapter {
  readonly channel = 'terminal' as const;
  readonly sender: ChannelSender;

  constructor(
    private readonly userId: string,
    onReply: (reply: Reply) => void,
  ) {
    this.sender = {
      channel: 'terminal',
      limits: { perSecond: 1000, perChatPerSecond: 1000, perChatBurst: 1000 },
      send: async (envelope) => onReply(envelope.reply),
    };
  }

  toInbound(envelope: InboxEnvelope): InboundMessage[] {
    const input = envelope.payload as TerminalInput;
    const text = input.text ?? '';
    return [
      {
        channel: 'terminal',
        user: { channel: 'terminal', id: this.userId },
        chat: { id: this.userId, kind: 'private' },
        messageId: input.id,
        text: input.button ? '' : text,
        button: input.button,
        attachments: linksIn(text),
        receivedAt: envelope.receivedAt,
      },
    ];
  }
}

/** A reply as terminal text: the message, then its buttons numbered from `firstNumber`. */
export function formatForTerminal(
  reply: Reply,
  firstNumber: number,
): { text: string; buttons: ReplyButton[] } {
  const buttons = (reply.buttons ?? []).flat();
  const lines = [reply.from === 'operator' ? `[hotline] ${reply.text}` : reply.text];
  buttons.forEach((b, i) => {
    lines.push(`  [${firstNumber + i}] ${b.label}`);
  });
  for (const link of reply.links ?? []) lines.push(`  ${link.label}: ${link.url}`);
  for (const phone of reply.phones ?? []) lines.push(`  ${phone.label}: ${phone.phone}`);
  return { text: lines.join('\n'), buttons };
}
