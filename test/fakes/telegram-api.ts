import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded Bot API call. */
export interface RecordedCall {
  method: string;
  token: string;
  params: Record<string, unknown>;
  /** Epoch ms when the fake received it. */
  at: number;
  /** What the fake answered (ok, or the error code it played); `stalled`: never answered. */
  outcome: 'ok' | number | 'stalled';
  /** The result the fake returned on success (sendMessage: the message with its message_id). */
  result?: unknown;
}

/** A programmed failure: a Bot API error body, or a bare HTTP status (a 5xx from a proxy). */
export type FakeFailure =
  | { error_code: number; description: string; parameters?: { retry_after?: number } }
  | { httpStatus: number };

/**
 * A small real HTTP server that plays the Telegram Bot API at `/bot<token>/<method>`: JSON, form
 * and multipart bodies, every call recorded, answers programmable per method.
 */
export class FakeTelegramApi {
  readonly calls: RecordedCall[] = [];
  private server: Server | undefined;
  private nextMessageId = 1000;
  private readonly failures = new Map<string, FakeFailure[]>();
  private readonly updates: Array<Record<string, unknown> & { update_id: number }> = [];
  url = '';
  /**
   * While set, a call it returns true for is recorded with outcome `stalled` and never answered
   * (a platform that hangs, or a worker killed while waiting): it never counts as delivered.
   */
  stall: ((method: string, params: Record<string, unknown>) => boolean) | undefined;

  constructor(readonly botUsername = 'safe_test_bot') {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The next `count` calls of `method` fail with `failure`. */
  failNext(method: string, count: number, failure: FakeFailure): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < count; i++) list.push(failure);
    this.failures.set(method, list);
  }

  /** Updates that getUpdates hands out (by offset, as Telegram does). */
  pushUpdate(update: Record<string, unknown> & { update_id: number }): void {
    this.updates.push(update);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Texts of the successful sendMessage calls to `chatId`, in the order the fake took them. */
  deliveredTexts(chatId: string | number): string[] {
    return this.calls
      .filter(
        (c) =>
          c.method === 'sendMessage' && c.outcome === 'ok' && String(c.params.chat_id) === String(chatId),
      )
      .map((c) => String(c.params.text));
  }

  /** Resolves once `predicate` holds for the recorded calls; rejects after `timeoutMs`. */
  async waitFor(predicate: (calls: RecordedCall[]) => boolean, timeoutMs = 10_000): Promise<RecordedCall[]> {
    const until = Date.now() + timeoutMs;
    while (!predicate(this.calls)) {
      if (Date.now() > until) {
        throw new Error(
          `fake Telegram: condition not met; calls: ${this.calls.map((c) => c.method).join(', ')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.calls;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = match as unknown as [string, string, string];
    const body = await readBody(req);
    const params = {
      ...Object.fromEntries(url.searchParams),
      ...parseBody(req.headers['content-type'], body),
    };
    const call: RecordedCall = { method, token, params, at: Date.now(), outcome: 'ok' };
    this.calls.push(call);
    if (this.stall?.(method, params)) {
      call.outcome = 'stalled';
      return;
    }

    const failure = this.failures.get(method)?.shift();
    if (failure) {
      if ('httpStatus' in failure) {
        call.outcome = failure.httpStatus;
        return send(res, failure.httpStatus, { ok: false });
      }
      call.outcome = failure.error_code;
      return send(res, failure.error_code, { ok: false, ...failure });
    }
    const result = await this.result(method, params);
    call.result = result;
    return send(res, 200, { ok: true, result });
  }

  private async result(method: string, params: Record<string, unknown>): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return { id: 123456, is_bot: true, first_name: 'Safe test bot', username: this.botUsername };
      case 'sendMessage':
        return {
          message_id: this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(params.chat_id), type: Number(params.chat_id) < 0 ? 'group' : 'private' },
          text: params.text,
        };
      case 'getWebhookInfo':
        return { url: '', has_custom_certificate: false, pending_update_count: 0 };
      case 'getUpdates': {
        const offset = Number(params.offset ?? 0);
        const ready = () => this.updates.filter((u) => u.update_id >= offset);
        // A short long-poll, so a test's polling loop is not busy-looping.
        for (let i = 0; i < 10 && ready().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
        return ready();
      }
      default:
        return true;
    }
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** JSON, urlencoded or multipart/form-data; form values that hold JSON are decoded. */
function parseBody(contentType: string | undefined, body: string): Record<string, unknown> {
  if (!body) return {};
  const type = contentType ?? '';
  if (type.includes('application/json')) return JSON.parse(body) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  if (type.includes('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(body)) fields[k] = v;
  } else if (type.includes('multipart/form-data')) {
    const boundary = /boundary=("?)([^";]+)\1/.exec(type)?.[2];
    if (boundary) {
      for (const part of body.split(`--${boundary}`)) {
        const name = /name="([^"]+)"/.exec(part)?.[1];
        const split = part.indexOf('\r\n\r\n');
        if (name && split >= 0) fields[name] = part.slice(split + 4).replace(/\r\n$/, '');
      }
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    try {
      out[k] = JSON.parse(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}
