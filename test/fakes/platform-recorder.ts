import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InboundMessage } from '../../src/core/messages.js';
import type { ChannelName } from '../../src/core/user-ref.js';
import type { InboxEnvelope, OutboxEnvelope } from '../../src/pipeline/envelopes.js';
import type { ChannelAdapter } from '../../src/runtime/channel-adapter.js';

/** A fake platform API: a real HTTP server that records every message sent to it. */
export class FakePlatform {
  readonly sent: Array<{ chatId: string; text: string; buttons: string[] }> = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      this.sent.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/send`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  textsTo(chatId: string): string[] {
    return this.sent.filter((s) => s.chatId === chatId).map((s) => s.text);
  }

  /** A channel adapter whose sender posts each reply to this server. */
  adapter(channel: ChannelName): ChannelAdapter {
    return {
      channel,
      toInbound: (envelope: InboxEnvelope) => [envelope.payload as InboundMessage],
      sender: {
        channel,
        limits: { perSecond: 1000, perChatPerSecond: 1000, perChatBurst: 1000 },
        send: async (envelope: OutboxEnvelope) => {
          const res = await fetch(this.url, {
            method: 'POST',
            body: JSON.stringify({
              chatId: envelope.chatId,
              text: envelope.reply.text,
              buttons: (envelope.reply.buttons ?? []).flat().map((b) => b.payload),
            }),
          });
          if (!res.ok) throw new Error(`platform answered ${res.status}`);
        },
      },
    };
  }
}
