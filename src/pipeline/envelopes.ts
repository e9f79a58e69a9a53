import { z } from 'zod';
import type { Reply } from '../core/messages.js';
import { CHANNELS, type ChannelName } from '../core/user-ref.js';

/** What the webhook stores in the inbox: the platform's raw update, parsed later by the worker. */
export interface InboxEnvelope {
  v: 1;
  channel: ChannelName;
  /** Platform id used for dedupe (Telegram update_id, Zalo msg_id, web chat message id). */
  dedupeId: string;
  receivedAt: number;
  payload: unknown;
}

/** A reply waiting in a channel's outbox. `id` is deterministic so a replayed handler is sent once. */
export interface OutboxEnvelope {
  v: 1;
  id: string;
  channel: ChannelName;
  chatId: string;
  userId: string;
  reply: Reply;
  createdAt: number;
  /** Set when this message relays an operator's words on a case: delivery state is reported there. */
  caseId?: string;
  /** The case transcript entry of this message, whose delivery state is updated after sending. */
  caseEntryId?: string;
  /** Platform-specific actions that are not a reply (delete messages, answer a button press...). */
  action?: { kind: string; data: unknown };
}

const inboxSchema = z.object({
  v: z.literal(1),
  channel: z.enum(CHANNELS),
  dedupeId: z.string(),
  receivedAt: z.number(),
  payload: z.unknown(),
});

const outboxSchema = z.object({
  v: z.literal(1),
  id: z.string(),
  channel: z.enum(CHANNELS),
  chatId: z.string(),
  userId: z.string(),
  reply: z.custom<Reply>((value) => typeof value === 'object' && value !== null && 'text' in value),
  createdAt: z.number(),
  caseId: z.string().optional(),
  caseEntryId: z.string().optional(),
  action: z.object({ kind: z.string(), data: z.unknown() }).optional(),
});

export function parseInboxEnvelope(raw: string): InboxEnvelope {
  return inboxSchema.parse(JSON.parse(raw)) as InboxEnvelope;
}

export function parseOutboxEnvelope(raw: string): OutboxEnvelope {
  return outboxSchema.parse(JSON.parse(raw)) as OutboxEnvelope;
}
