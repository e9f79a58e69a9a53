import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { OFFERS_AUDIT_ID } from '../operator/offer-label-routes.js';
import { ACCOUNTS_AUDIT_ID } from '../operator/operator-api.js';
import type { CaseStore } from '../ports/case-store.js';
import type { Clock } from '../ports/clock.js';
import type { DurableQueue } from '../ports/durable-queue.js';
import type { LockStore } from '../ports/lock-store.js';

export interface RetentionRound {
  /** Resolved cases deleted (CASE_RETENTION_DAYS). */
  casesPurged: number;
  /** Account and offer-label audit entries dropped (CASE_RETENTION_DAYS). */
  auditTrimmed: number;
  /** Dead letters dropped (USER_DATA_TTL_DAYS). */
  deadLettersTrimmed: number;
}

export interface RetentionJobOptions {
  cases: CaseStore;
  /** Every queue whose dead letters hold message payloads (inbox, each outbox). */
  queues: () => DurableQueue[];
  clock: Clock;
  config: Config;
  logger: Logger;
  /** When given, one process in the cluster runs each round. */
  locks?: LockStore;
  /** Default: hourly. */
  intervalMs?: number;
}

/**
 * The retention job: deletes on time what has no TTL of its own (see KEYS_WITHOUT_TTL). Runs
 * periodically in the worker role; one process per round when a lock store is given.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionRound> | undefined;

  constructor(private readonly options: RetentionJobOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.run(), this.options.intervalMs ?? 3_600_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One round now; overlapping calls share it. */
  run(): Promise<RetentionRound> {
    if (!this.running) {
      this.running = this.round()
        .catch((error: Error) => {
          this.options.logger.warn({ err: { message: error.message } }, 'retention round failed');
          return { casesPurged: 0, auditTrimmed: 0, deadLettersTrimmed: 0 };
        })
        .finally(() => {
          this.running = undefined;
        });
    }
    return this.running;
  }

  private async round(): Promise<RetentionRound> {
    const { cases, clock, config, locks, logger } = this.options;
    const result: RetentionRound = { casesPurged: 0, auditTrimmed: 0, deadLettersTrimmed: 0 };
    const token = locks ? await locks.acquire('retention', 10 * 60_000) : 'local';
    if (!token) return result;
    try {
      const now = clock.now();
      const caseCutoff = now - config.operators.caseRetentionDays * 86_400_000;
      result.casesPurged = await cases.purgeResolvedBefore(caseCutoff);
      for (const id of [ACCOUNTS_AUDIT_ID, OFFERS_AUDIT_ID]) {
        result.auditTrimmed += await cases.trimAuditBefore(id, caseCutoff);
      }
      const messageCutoff = now - config.userDataTtlSeconds * 1000;
      for (const queue of this.options.queues()) {
        result.deadLettersTrimmed += await queue.trimDeadBefore(messageCutoff);
      }
      logger.info({ ...result }, 'retention round');
      return result;
    } finally {
      if (locks) await locks.release('retention', token).catch(() => undefined);
    }
  }
}
