import type { Logger } from 'pino';
import type { Config } from '../config.js';
import {
  type Case,
  type DeliveryState,
  levelRank,
  type NewCase,
  type TranscriptEntry,
} from '../core/cases/case.js';
import type { CaseStore, NewTranscriptEntry } from '../ports/case-store.js';
import type { Clock } from '../ports/clock.js';
import type { EventBus } from '../ports/event-bus.js';
import { caseAlertText } from './operator-alerts.js';

/** What the runtime needs to open cases and keep them current. */
export interface EscalationDeps {
  cases: CaseStore;
  events: EventBus;
  clock: Clock;
  config: Config;
  logger: Logger;
  /** Posts a line to the operators' chat (OperatorAlerts.send); optional. */
  alertOperators?: (text: string) => Promise<void>;
}

/**
 * Opens the user's case, or finds the open one and raises its level, and adds `input.transcript`
 * to it. Call it and await it BEFORE telling the user that a person was alerted: when it returns,
 * the case is stored. A store failure is thrown (the caller keeps the message and retries).
 * Events and alerts are best effort.
 */
export async function escalate(
  deps: EscalationDeps,
  input: NewCase,
): Promise<{ case: Case; created: boolean; raised: boolean; replayed?: boolean }> {
  const { cases, clock } = deps;
  const now = clock.now();
  const opened = await cases.createOrGetOpen(input, now);
  if (!opened.created && input.origin !== undefined && opened.case.origin === input.origin) {
    // The same message again (its first handling was cut short): the case already holds it.
    return { case: opened.case, created: false, raised: false, replayed: true };
  }
  if (opened.created) {
    await cases.audit({
      at: now,
      actor: 'system',
      action: 'created',
      caseId: opened.case.id,
      detail: `level=${input.level}${input.raisedByModel ? ' by=model' : ''}`,
    });
    await publish(deps, 'case_created', opened.case);
    await alert(deps, caseAlertText('new', opened.case, now, deps.config.http.publicBaseUrl));
    return { case: opened.case, created: true, raised: false };
  }
  let current = opened.case;
  let raised = false;
  if (
    levelRank(input.level) > levelRank(current.level) ||
    (input.signals ?? []).some((s) => !current.signals.includes(s))
  ) {
    const result = await cases.raiseLevel(
      current.id,
      input.level,
      input.signals ?? [],
      now,
      input.raisedByModel !== undefined,
    );
    if (result.ok) {
      raised = result.case.level !== current.level;
      current = result.case;
      if (raised) {
        await cases.audit({
          at: now,
          actor: 'system',
          action: 'level_raised',
          caseId: current.id,
          detail: `level=${current.level}${input.raisedByModel ? ' by=model' : ''}`,
        });
        await publish(deps, 'case_updated', current);
      }
    }
  }
  if (input.transcript && input.transcript.length > 0) {
    const added = await cases.appendTranscript(current.id, input.transcript);
    current = { ...current, transcript: [...current.transcript, ...added].slice(-200) };
    await publish(deps, 'message', current);
  }
  return { case: current, created: false, raised };
}

/** Adds one line (a user's message while the case is open, a bot reply) and tells the consoles. */
export async function recordCaseMessage(
  deps: EscalationDeps,
  c: Pick<Case, 'id' | 'level'>,
  entry: NewTranscriptEntry,
): Promise<TranscriptEntry | undefined> {
  const [stored] = await deps.cases.appendTranscript(c.id, [entry]);
  if (stored) await publish(deps, 'message', c);
  return stored;
}

/**
 * The outbox reports whether an operator message reached the user. A permanent failure (bot
 * blocked, Zalo window closed) also marks the case unreachable with that reason.
 */
export async function recordDelivery(
  deps: EscalationDeps,
  c: Pick<Case, 'id' | 'level'>,
  entryId: string,
  state: DeliveryState,
  failure?: { reason: string; permanent: boolean },
): Promise<void> {
  await deps.cases.setDelivery(c.id, entryId, state, failure?.reason);
  if (state === 'failed' && failure?.permanent)
    await deps.cases.markUnreachable(c.id, failure.reason, deps.clock.now());
  await publish(deps, 'message', c);
}

async function publish(
  deps: EscalationDeps,
  type: 'case_created' | 'case_updated' | 'message',
  c: Pick<Case, 'id' | 'level'>,
): Promise<void> {
  await deps.events
    .publish({ type, caseId: c.id, level: c.level, at: deps.clock.now() })
    .catch((error: Error) =>
      deps.logger.warn({ err: { message: error.message }, type }, 'event publish failed'),
    );
}

async function alert(deps: EscalationDeps, text: string): Promise<void> {
  await deps
    .alertOperators?.(text)
    .catch((error: Error) => deps.logger.warn({ err: { message: error.message } }, 'operator alert failed'));
}
