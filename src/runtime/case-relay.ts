import type { Logger } from 'pino';
import type { SafetyContent } from '../content/safety.js';
import type { Case, CaseSummary } from '../core/cases/case.js';
import type { TextCatalogue } from '../core/content.js';
import { formatHotlineLines } from '../core/distress/safety-reply.js';
import type { Reply } from '../core/messages.js';
import type { ChannelApiError } from '../errors.js';
import { type EscalationDeps, recordDelivery } from '../operator/escalation.js';
import type { OutboxEnvelope } from '../pipeline/envelopes.js';
import type { CaseStore } from '../ports/case-store.js';
import type { ConversationRuntime } from './conversation-runtime.js';

/**
 * The operator side of a conversation: an operator's words go to the user through their channel's
 * outbox (and the delivery result comes back to the case), the closing message on resolve, and the
 * honest word about the wait when the SLA is missed.
 */
export function createCaseRelay(deps: {
  runtime: ConversationRuntime;
  cases: CaseStore;
  caseDeps: EscalationDeps;
  texts: TextCatalogue;
  safety: SafetyContent;
  logger: Logger;
}) {
  const { runtime, texts, safety } = deps;
  const target = (c: Pick<Case, 'channel' | 'chatId' | 'userId'>) => ({
    channel: c.channel,
    chatId: c.chatId,
    userId: c.userId,
  });

  return {
    /** An operator's message, marked as from the hotline team (plain in discreet mode). */
    async relay(c: Case, text: string, _operatorName: string, entryId: string): Promise<void> {
      const prefix = c.discreet ? '' : `${texts.t(c.locale, 'case.operator_prefix')}\n`;
      const reply: Reply = { text: `${prefix}${text}`, from: 'operator', locale: c.locale };
      await runtime.enqueueTo(target(c), [reply], `case:${c.id}:${entryId}`, {
        caseId: c.id,
        caseEntryId: entryId,
      });
    },

    /** The closing message; the user's conversation leaves the case and returns to the menu. */
    async onResolved(c: Case): Promise<void> {
      const key = c.discreet ? 'safety.closing_discreet' : 'safety.closing';
      await runtime.enqueueTo(
        target(c),
        [{ text: texts.t(c.locale, key), locale: c.locale }],
        `case:${c.id}:closed`,
      );
      await runtime.updateState({ channel: c.channel, id: c.userId }, (state) =>
        state && state.caseId === c.id ? { ...state, caseId: undefined, node: 'menu' } : state,
      );
    },

    /** Nobody has claimed the case in time: the numbers to call now and an honest word. */
    async notifyUserOfWait(c: CaseSummary): Promise<void> {
      const content = safety[c.locale];
      const numbers = formatHotlineLines(
        {
          level: c.level,
          signals: c.signals,
          minor: c.minor,
          abroad: c.signals.includes('abroad'),
          thirdPerson: c.intake.who === 'other',
        },
        { discreet: c.discreet, hotlines: content.hotlines, texts: content.texts },
      );
      const intro = c.discreet ? content.texts.sla_breach_discreet : content.texts.sla_breach;
      await runtime.enqueueTo(
        target(c),
        [{ text: `${intro}\n${numbers}`, locale: c.locale }],
        `case:${c.id}:sla:${c.alertCount}`,
      );
    },

    /** Outbox hook: an operator message reached the user. */
    async onDelivered(envelope: OutboxEnvelope): Promise<void> {
      if (!envelope.caseId || !envelope.caseEntryId) return;
      const c = await deps.cases.get(envelope.caseId);
      if (c) await recordDelivery(deps.caseDeps, c, envelope.caseEntryId, 'sent');
    },

    /** Outbox hook: the platform refused for good (bot blocked, Zalo window closed). */
    async onUndeliverable(envelope: OutboxEnvelope, error: ChannelApiError): Promise<void> {
      const c = envelope.caseId
        ? await deps.cases.get(envelope.caseId)
        : await deps.cases.getOpenForUser({ channel: envelope.channel, id: envelope.userId });
      if (!c) return;
      const reason = error.code;
      if (envelope.caseEntryId) {
        await recordDelivery(deps.caseDeps, c, envelope.caseEntryId, 'failed', { reason, permanent: true });
      } else {
        await deps.cases.markUnreachable(c.id, reason, deps.caseDeps.clock.now());
      }
    },
  };
}
