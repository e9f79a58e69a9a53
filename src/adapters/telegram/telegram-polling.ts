import type { Logger } from 'pino';
import type { Inbox } from '../../pipeline/inbox.js';
import type { TelegramAdapter } from './telegram-adapter.js';
import { ALLOWED_UPDATES } from './telegram-update.js';
import { acceptTelegramUpdate } from './telegram-webhook-route.js';

const LONG_POLL_SECONDS = 25;

/**
 * Long polling for local use without a public URL. Updates go through the same inbox path as
 * the webhook; the offset moves past an update only once it is stored, so a Redis hiccup means
 * Telegram hands the same updates out again rather than losing them.
 */
export class TelegramPoller {
  private running = false;
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private offset = 0;

  constructor(
    private readonly deps: { adapter: TelegramAdapter; inbox: Inbox; logger: Logger; retryDelayMs?: number },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort?.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { adapter, inbox, logger } = this.deps;
    // A webhook and getUpdates cannot both be on: polling mode means the operator wants polling.
    await adapter.call('deleteWebhook', { drop_pending_updates: false }).catch((error: Error) => {
      logger.warn({ err: { message: error.message } }, 'telegram deleteWebhook failed');
    });
    let failures = 0;
    while (this.running) {
      this.abort = new AbortController();
      try {
        const updates = (await this.callWithAbort({
          offset: this.offset,
          timeout: LONG_POLL_SECONDS,
          limit: 100,
          allowed_updates: ALLOWED_UPDATES,
        })) as unknown[];
        for (const update of updates) {
          const outcome = await acceptTelegramUpdate(inbox, update, logger);
          const id = (update as { update_id?: unknown }).update_id;
          if (outcome !== 'invalid' && typeof id === 'number') this.offset = Math.max(this.offset, id + 1);
        }
        failures = 0;
      } catch (error) {
        if (!this.running) break;
        failures++;
        const wait = Math.min(30_000, (this.deps.retryDelayMs ?? 1000) * 2 ** Math.min(failures - 1, 5));
        logger.warn({ err: { message: (error as Error).message }, waitMs: wait }, 'telegram polling failed');
        await sleep(wait, this.abort.signal);
      }
    }
  }

  private callWithAbort(payload: Record<string, unknown>): Promise<unknown> {
    return this.deps.adapter.call('getUpdates', payload, {
      timeoutMs: (LONG_POLL_SECONDS + 10) * 1000,
      signal: this.abort?.signal,
    });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
