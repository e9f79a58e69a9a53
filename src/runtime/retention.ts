import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { OFFERS_AUDIT_ID } from '../operator/offer-label-routes.js';
import { ACCOUNTS_AUDIT_ID } from '../operator/operator-api.js';
import type { CaseStore } from '../ports/case-store.js';
import type { Clock } from '../ports/clock.js';
import type { DurableQueue } from '../ports/durable-queue.js';
import type { LockStore } from '../ports/lock-store.js';

/**
 * What is kept without a TTL in Redis, and why: the ONE list of exceptions. Everything else (user
 * records, mailboxes, dedupe marks, sessions, locks, counters, offer memory, subscriptions) expires
 * by itself. A test scans every key after real conversations and fails on any key without a TTL
 * that no line here names. Patterns follow the prefix (`<prefix>:`).
 */
export const KEYS_WITHOUT_TTL: ReadonlyArray<{ pattern: RegExp; what: string; until: string }> = [
  {
    pattern: /^\{cases\}:(c|t|a|open):/,
    what: 'escalation cases: the case, its transcript excerpt, its audit trail, the open-case index',
    until:
      'an open case stays while the person may be in danger; a resolved one is deleted by the retention job after CASE_RETENTION_DAYS (and cleared of the person at once if they asked to be forgotten)',
  },
  {
    pattern: /^\{cases\}:q:(waiting|claimed|resolved)$/,
    what: 'the queues of case ids (no personal data)',
    until: 'ids leave with their case',
  },
  {
    pattern: /^\{ops\}:(acct:|names$|lookup:)/,
    what: 'operator accounts (name, role, scrypt hash) and the keyed lookup of their secrets',
    until: 'kept (a disabled account stays for the audit trail)',
  },
  {
    pattern: /^\{q:[^}]+\}:(s|dead)$/,
    what: 'inbox and outbox streams and their dead letters',
    until:
      'an entry is deleted once handled or sent; dead letters are deleted by the retention job after USER_DATA_TTL_DAYS',
  },
  {
    pattern: /^zalo:tokens:/,
    what: 'the Zalo OA token pair',
    until: 'replaced at each refresh',
  },
  {
    pattern: /^om:(top:[ck]$|l:)/,
    what: 'offer memory rankings (cluster ids, contact hashes) and operators’ labels of them',
    until: 'no personal data; ranked records themselves expire after 180 days without a forward',
  },
];

/** True when `key` (with its prefix) is one of the documented keys without a TTL. */
export function isDocumentedWithoutTtl(key: string, prefix: string): boolean {
  if (!key.startsWith(`${prefix}:`)) return false;
  const rest = key.slice(prefix.length + 1);
  return KEYS_WITHOUT_TTL.some((k) => k.pattern.test(rest));
}

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
