import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { CaseSummary } from '../core/cases/case.js';
import { slaAlertDue } from '../core/cases/sla.js';
import type { CaseStore } from '../ports/case-store.js';
import type { Clock } from '../ports/clock.js';
import type { EventBus } from '../ports/event-bus.js';
import type { LockStore } from '../ports/lock-store.js';
import { caseAlertText } from './operator-alerts.js';

export interface SlaWatcherOptions {
  cases: CaseStore;
  events: EventBus;
  clock: Clock;
  config: Config;
  logger: Logger;
  /** How often to look (default 15 s). */
  intervalMs?: number;
  /** When given, one process in the cluster runs each round (the others skip it). */
  locks?: LockStore;
  /**
   * Tells the user, once, that nobody has answered yet: the hotline numbers and an honest word
   * about the wait (the integrator sends it through the user's channel).
   */
  notifyUserOfWait: (c: CaseSummary) => Promise<void>;
  /** Posts an alert line (no personal details) to operators, e.g. OperatorAlerts.send. */
  alertOperators: (text: string) => Promise<void>;
}

/** What one round did (for tests and logs). */
export interface SlaRound {
  alerted: string[];
  usersNotified: string[];
  released: string[];
}

/**
 * Watches the queue: waiting cases past their SLA target are re-alerted at most once per target
 * interval (the user hears about the wait on the first breach), claimed cases whose operator
 * went silent past OPERATOR_IDLE_RETURN_SECONDS go back to the queue. (Deleting old cases is the
 * retention job's: src/runtime/retention.ts.)
 */
export class SlaWatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SlaRound> | undefined;

  constructor(private readonly options: SlaWatcherOptions) {}

  start(): void {
    if (this.timer) return;
    const interval = this.options.intervalMs ?? 15_000;
    this.timer = setInterval(() => void this.tick(), interval);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One round now. Overlapping calls share the round in progress. */
  tick(): Promise<SlaRound> {
    if (!this.running) {
      this.running = this.round()
        .catch((error: Error) => {
          this.options.logger.warn({ err: { message: error.message } }, 'SLA round failed');
          return { alerted: [], usersNotified: [], released: [] };
        })
        .finally(() => {
          this.running = undefined;
        });
    }
    return this.running;
  }

  private async round(): Promise<SlaRound> {
    const { cases, clock, config, locks } = this.options;
    const result: SlaRound = { alerted: [], usersNotified: [], released: [] };
    const lockTtl = Math.max(1000, (this.options.intervalMs ?? 15_000) - 100);
    const token = locks ? await locks.acquire('sla-watcher', lockTtl) : 'local';
    if (!token) return result;
    const now = clock.now();
    const policy = config.operators.slaSeconds;

    for (const c of await cases.listSlaBreaches(now)) {
      if (!slaAlertDue(c, now, policy)) continue;
      const marked = await cases.markSlaAlert(c.id, now);
      if (!marked.ok) continue;
      const after = marked.case;
      result.alerted.push(c.id);
      await cases.audit({
        at: now,
        actor: 'system',
        action: 'sla_breach',
        caseId: c.id,
        detail: `alert=${after.alertCount}`,
      });
      await this.publish('sla_breach', after.id, after.level, now);
      await this.safely('alert operators', () =>
        this.options.alertOperators(caseAlertText('sla_breach', after, now, config.http.publicBaseUrl)),
      );
      if (after.alertCount === 1) {
        const told = await this.safely('notify user of wait', () =>
          this.options.notifyUserOfWait(summaryOf(after)),
        );
        if (told) result.usersNotified.push(c.id);
      }
    }

    const idleMs = config.operators.idleReturnSeconds * 1000;
    for (const c of await cases.listIdleClaims(now, idleMs)) {
      const released = await cases.release(c.id, undefined, now, idleMs);
      if (!released.ok) continue;
      result.released.push(c.id);
      await cases.audit({
        at: now,
        actor: 'system',
        action: 'auto_release',
        caseId: c.id,
        detail: `from=${c.assignee ?? ''}`,
      });
      await this.publish('case_released', c.id, c.level, now);
      await this.safely('alert operators', () =>
        this.options.alertOperators(caseAlertText('returned', released.case, now, config.http.publicBaseUrl)),
      );
    }

    return result;
  }

  private async publish(
    type: 'sla_breach' | 'case_released',
    caseId: string,
    level: CaseSummary['level'],
    at: number,
  ) {
    await this.safely('publish event', () => this.options.events.publish({ type, caseId, level, at }));
  }

  private async safely(what: string, run: () => Promise<unknown>): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (error) {
      this.options.logger.warn(
        { err: { message: (error as Error).message } },
        `SLA watcher could not ${what}`,
      );
      return false;
    }
  }
}

function summaryOf(c: CaseSummary & { transcript?: unknown }): CaseSummary {
  const { transcript: _t, ...rest } = c;
  return rest;
}
