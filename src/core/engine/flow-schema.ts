import { z } from 'zod';

/**
 * The format of flows/*.yaml. `schema` is the version of this format; `version` is the version of
 * one flow's content, recorded in each user's state so that a changed flow restarts cleanly.
 */
export const FLOW_SCHEMA_VERSION = 1;

const id = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,23}$/, 'must be 1-24 characters of a-z 0-9 _ starting with a letter');
const contentKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'must be a dotted content key like menu.welcome');

const target = z
  .object({
    goto: id.optional(),
    action: id.optional(),
    /** A short argument the action receives (a lesson id, a language...). */
    arg: z
      .string()
      .regex(/^[a-z0-9_]{1,20}$/)
      .optional(),
  })
  .refine((t) => Boolean(t.goto) !== Boolean(t.action), { message: 'give exactly one of goto or action' });

const button = target.and(z.object({ label: contentKey }));

export const nodeSchema = z
  .object({
    message: contentKey,
    /** An action that runs when the node is shown and may add replies (a list of hotlines...). */
    on_enter: id.optional(),
    buttons: z.array(button).max(8).default([]),
    /** What free text does here; without it, text gets the helpful fallback. */
    text: target.optional(),
    /** Offer the quick-exit button on this node. */
    quick_exit: z.boolean().default(false),
  })
  .strict();

export const flowSchema = z
  .object({
    schema: z.literal(FLOW_SCHEMA_VERSION, { message: `must be ${FLOW_SCHEMA_VERSION}` }),
    id,
    version: z.number().int().positive(),
    start: id,
    /** Where global commands lead in this flow (menu, help, hotlines...). */
    commands: z.record(z.string(), target).default({}),
    nodes: z.record(id, nodeSchema).refine((nodes) => Object.keys(nodes).length > 0, 'a flow needs nodes'),
  })
  .strict();

export type FlowDefinition = z.output<typeof flowSchema>;
export type FlowNode = z.output<typeof nodeSchema>;
export type FlowTarget = z.output<typeof target>;
export type FlowButton = z.output<typeof button>;
