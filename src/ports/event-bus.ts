import type { CaseLevel } from '../core/cases/case.js';

export const OPERATOR_EVENT_TYPES = [
  'case_created',
  'case_updated',
  'case_claimed',
  'case_released',
  'case_resolved',
  'message',
  'sla_breach',
  'contact_alert',
] as const;
export type OperatorEventType = (typeof OPERATOR_EVENT_TYPES)[number];

/**
 * A nudge for operator consoles: something changed on a case, fetch it. Carries no message text
 * and no personal data, so that it can cross processes and reach every console safely.
 */
export interface OperatorEvent {
  type: OperatorEventType;
  caseId?: string;
  level?: CaseLevel;
  at: number;
}

/** Fans operator events out to every process (Redis pub/sub) or within one (memory). */
export interface EventBus {
  publish(event: OperatorEvent): Promise<void>;
  /** Calls `listener` for every event published from now on; returns the unsubscribe function. */
  subscribe(listener: (event: OperatorEvent) => void): () => void;
  /** Resolves once this process receives events (Redis: the subscription is confirmed). */
  subscribed(): Promise<void>;
  close(): Promise<void>;
}

/** Keeps only the allowed fields, so that a careless caller cannot leak text through an event. */
export function cleanEvent(event: OperatorEvent): OperatorEvent {
  const clean: OperatorEvent = { type: event.type, at: event.at };
  if (event.caseId !== undefined) clean.caseId = event.caseId;
  if (event.level !== undefined) clean.level = event.level;
  return clean;
}
