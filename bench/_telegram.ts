import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectRedis } from '../src/adapters/redis/redis-client.js';
import { type AppProcess, startAppProcess } from '../test/support/process.js';
import { benchRedisUrl, deletePrefix } from './_server.js';

export const BENCH_TOKEN = '123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz';
export const BENCH_SECRET = 'bench_secret_0123456789';

/**
 * A minimal fake Bot API for benchmarks: answers every method at once and notes, per chat, when
 * the first sendMessage arrived (performance.now(), the same clock the load sender uses). Kept
 * smaller than test/fakes/telegram-api.ts (which records every call with its parameters), so the
 * fake costs the measured processes as little CPU as it can.
 */
export class BenchBotApi {
  /** chat id -> performance.now() of its first sendMessage. */
  readonly firstReply = new Map<number, number>();
  sendMessages = 0;
  url = '';
  private server: Server | undefined;
  private nextMessageId = 1;
  private waiters: Array<() => void> = [];

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const method = req.url?.slice(req.url.lastIndexOf('/') + 1) ?? '';
        let result: unknown = true;
        if (method === 'getMe') {
          result = { id: 123456, is_bot: true, first_name: 'Bench bot', username: 'bench_bot' };
        } else if (method === 'sendMessage') {
          const at = performance.now();
          const params = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { chat_id?: unknown };
          const chatId = Number(params.chat_id);
          this.sendMessages += 1;
          if (!this.firstReply.has(chatId)) this.firstReply.set(chatId, at);
          result = {
            message_id: this.nextMessageId++,
            date: Math.floor(Date.now() / 1000),
            chat: { id: chatId, type: 'private' },
          };
          for (const wake of this.waiters.splice(0)) wake();
        }
        const body = JSON.stringify({ ok: true, result });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Resolves when `done()` holds (checked after each sendMessage) or `timeoutMs` passed. */
  async waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (!done()) {
      const left = until - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/**
 * App processes (the built server, `node dist/src/main.js`, as `npm start` runs it) sharing one
 * Redis key prefix and the fake Bot API. `close` kills every process and deletes the prefix; call
 * it in a finally block.
 */
export class BenchApps {
  readonly prefix = `bench:${randomBytes(4).toString('hex')}`;
  readonly processes: AppProcess[] = [];
  /** If this process exits without `close` (an interrupted run), no app process is left behind. */
  private readonly killAll = () => {
    for (const app of this.processes) app.child.kill('SIGKILL');
  };

  constructor(private readonly botApi: BenchBotApi) {
    process.once('exit', this.killAll);
  }

  async start(env: Record<string, string> = {}): Promise<AppProcess> {
    const app = await startAppProcess({
      REDIS_URL: benchRedisUrl(),
      REDIS_PREFIX: this.prefix,
      LOG_LEVEL: 'error',
      HASH_SECRET: 'bench-hash-secret-0123456789',
      TELEGRAM_BOT_TOKEN: BENCH_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: BENCH_SECRET,
      TELEGRAM_API_ROOT: this.botApi.url,
      // Telegram's own limit (about 30/s without paid broadcasts) is not what is measured here.
      TELEGRAM_SENDS_PER_SECOND: '100000',
      ...env,
    });
    this.processes.push(app);
    return app;
  }

  async close(): Promise<void> {
    process.removeListener('exit', this.killAll);
    for (const app of this.processes.splice(0)) {
      const stopped = app.stop('SIGTERM');
      const timer = setTimeout(() => app.child.kill('SIGKILL'), 5000);
      await stopped;
      clearTimeout(timer);
    }
    const redis = connectRedis(benchRedisUrl());
    try {
      await deletePrefix(redis, this.prefix);
    } finally {
      redis.disconnect();
    }
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc; NaN where there is none. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** A Telegram text update from a private chat whose user id is the chat id. */
export function textUpdate(updateId: number, chatId: number, text: string): string {
  return JSON.stringify({
    update_id: updateId,
    message: {
      message_id: 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private' },
      from: { id: chatId, is_bot: false, first_name: 'Lan', language_code: 'vi' },
      text,
    },
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** Posts one update to an app's webhook; resolves with the HTTP status (0 on a network error). */
export function postUpdate(appUrl: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      `${appUrl}/webhooks/telegram`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-telegram-bot-api-secret-token': BENCH_SECRET,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/**
 * Sends `rate` updates per second for `seconds`, open loop: a timer works out how many sends are
 * due by now and issues them without waiting for earlier ones to be answered, so that a slow app
 * makes latency grow instead of quietly lowering the rate. `make(i)` gives the i-th update and
 * the app to post it to; `onSent(i, at)` is told the moment each one is issued.
 */
export async function sendAtFixedRate(options: {
  rate: number;
  seconds: number;
  make: (i: number) => { url: string; body: string };
  onSent?: (i: number, at: number) => void;
}): Promise<{ sent: number; seconds: number; failed: number; maxLagMs: number }> {
  const total = Math.round(options.rate * options.seconds);
  const started = performance.now();
  let sent = 0;
  let failed = 0;
  let maxLagMs = 0;
  const inFlight: Array<Promise<void>> = [];
  while (sent < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - started) / 1000) * options.rate) + 1);
    if (due > sent) maxLagMs = Math.max(maxLagMs, now - (started + (sent / options.rate) * 1000));
    while (sent < due) {
      const i = sent++;
      const { url, body } = options.make(i);
      options.onSent?.(i, performance.now());
      inFlight.push(
        postUpdate(url, body).then((status) => {
          if (status !== 200) failed += 1;
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(inFlight);
  return { sent, seconds, failed, maxLagMs };
}

/** The q-quantile (0..1) of `values`, nearest rank. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
