import type { InboundMessage } from '../core/messages.js';
import type { ChannelName } from '../core/user-ref.js';
import type { InboxEnvelope } from '../pipeline/envelopes.js';
import type { ChannelSender } from '../pipeline/outbox.js';

/** The inbound half of a channel: turns a stored platform update into messages for the core. */
export interface ChannelAdapter {
  readonly channel: ChannelName;
  /** May return no message (an update kind we ignore) or more than one. Throws only on a bug. */
  toInbound(envelope: InboxEnvelope): InboundMessage[];
  /**
   * The chat of a stored envelope without the full translation, when the channel can tell it
   * cheaply (asked on the webhook's hot path); otherwise the chat of `toInbound`'s first message.
   */
  chatOf?(envelope: InboxEnvelope): string | undefined;
  readonly sender: ChannelSender;
  /** Runs when a message arrives, before the engine (Telegram remembers ids for quick exit...). */
  onInbound?(message: InboundMessage): Promise<void>;
}
