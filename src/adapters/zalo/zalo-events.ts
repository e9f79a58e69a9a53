import { z } from 'zod';

/** Ids stay strings: Zalo ids pass 2^53. A stray number (short enough to be exact) is turned into text. */
const id = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform(String)
  .pipe(z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be an id'));

const attachmentSchema = z.object({
  type: z.string().max(32),
  payload: z
    .object({
      url: z.string().max(4000).optional(),
      title: z.string().max(2000).optional(),
      description: z.string().max(4000).optional(),
    })
    .optional()
    .catch(undefined),
});

/**
 * The part of a Zalo OA webhook event we use. Unknown fields are dropped, so the inbox keeps only
 * what the worker needs. Events from the OA itself and delivery receipts fit the same shape.
 */
export const zaloEventSchema = z.object({
  app_id: id.optional(),
  event_name: z.string().regex(/^[a-z_]{1,64}$/, 'must be an event name'),
  timestamp: z
    .union([z.string(), z.number().int()])
    .transform(String)
    .pipe(z.string().regex(/^\d{10,16}$/, 'must be a time in milliseconds')),
  user_id_by_app: id.optional(),
  oa_id: id.optional(),
  sender: z.object({ id }).optional(),
  recipient: z.object({ id }).optional(),
  follower: z.object({ id }).optional(),
  message: z
    .object({
      msg_id: id.optional(),
      text: z.string().max(10_000).optional(),
      attachments: z.array(attachmentSchema).max(20).optional(),
    })
    .optional(),
});

export type ZaloEvent = z.output<typeof zaloEventSchema>;

/** The person an event is about: the sender of a message, or the (un)follower. */
export function zaloUserOf(event: ZaloEvent): string | undefined {
  if (event.event_name === 'follow' || event.event_name === 'unfollow') return event.follower?.id;
  return event.sender?.id;
}

/**
 * The id the inbox dedupes on: the message id, or for events without one (follow) the event,
 * user and time together, which Zalo repeats unchanged when it retries.
 */
export function zaloDedupeId(event: ZaloEvent): string {
  const msgId = event.message?.msg_id;
  if (msgId) return `m:${msgId}`;
  return `e:${event.event_name}:${zaloUserOf(event) ?? '-'}:${event.timestamp}`;
}
