import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call to the consultation endpoint, as the fake saw it. */
export interface FakeCsCall {
  accessToken: string | undefined;
  body: {
    recipient?: { user_id?: string };
    message?: {
      text?: string;
      attachment?: { payload?: { buttons?: Array<{ type: string; title: string; payload: unknown }> } };
    };
  };
  /** What the fake answered: Zalo's error number, or an HTTP status for 5xx. */
  outcome: number | `http${number}`;
}

/** One call to the OAuth refresh endpoint. */
export interface FakeRefreshCall {
  secretKey: string | undefined;
  appId: string | null;
  grantType: string | null;
  refreshToken: string | null;
  outcome: 'refreshed' | 'spent' | 'unknown' | 'bad_secret';
}

/**
 * A small real HTTP server playing Zalo's OpenAPI (POST /v3.0/oa/message/cs) and OAuth
 * (POST /v4/oa/access_token). Access tokens are valid only when issued here (or allowed);
 * refresh tokens are single use like Zalo's: a spent one is refused. Errors can be queued.
 */
export class FakeZaloApi {
  url = '';
  readonly csCalls: FakeCsCall[] = [];
  readonly refreshCalls: FakeRefreshCall[] = [];
  /** Answers for the next CS calls, in order: a Zalo error number or an HTTP status (>= 500). */
  readonly csScript: Array<number | `http${number}`> = [];
  /** Delay before answering a refresh, so concurrent refreshes overlap. */
  refreshDelayMs = 0;
  private readonly accessTokens = new Set<string>();
  private readonly refreshTokens = new Map<string, 'live' | 'spent'>();
  private server: Server | undefined;

  constructor(private readonly app: { appId: string; appSecret: string }) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch(() => {
        res.statusCode = 500;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  /** A new live refresh token, as the OA authorisation would give. */
  issueRefreshToken(): string {
    const token = `rt-${randomBytes(8).toString('hex')}`;
    this.refreshTokens.set(token, 'live');
    return token;
  }

  allowAccessToken(token: string): void {
    this.accessTokens.add(token);
  }

  /** Every access token issued so far stops working (as after expiry). */
  revokeAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** Successful sends, in order. */
  delivered(): FakeCsCall[] {
    return this.csCalls.filter((c) => c.outcome === 0);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'POST' && req.url === '/v3.0/oa/message/cs') {
      this.cs(req, res, raw);
      return;
    }
    if (req.method === 'POST' && req.url === '/v4/oa/access_token') return this.oauth(req, res, raw);
    res.statusCode = 404;
    res.end('{}');
  }

  private cs(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const header = req.headers.access_token;
    const accessToken = Array.isArray(header) ? header[0] : header;
    const body = JSON.parse(raw) as FakeCsCall['body'];
    const call: FakeCsCall = { accessToken, body, outcome: 0 };
    this.csCalls.push(call);
    // Zalo answers errors with HTTP 200 and a non-zero `error`.
    if (!accessToken || !this.accessTokens.has(accessToken)) {
      call.outcome = -216;
      json(res, 200, { error: -216, message: 'Access token is invalid' });
      return;
    }
    const scripted = this.csScript.shift();
    if (typeof scripted === 'string') {
      call.outcome = scripted;
      json(res, Number(scripted.slice(4)), { error: 'server' });
      return;
    }
    if (scripted !== undefined && scripted !== 0) {
      call.outcome = scripted;
      json(res, 200, { error: scripted, message: `scripted error ${scripted}` });
      return;
    }
    json(res, 200, {
      error: 0,
      message: 'Success',
      data: { message_id: randomBytes(8).toString('hex'), user_id: body.recipient?.user_id },
    });
  }

  private async oauth(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const form = new URLSearchParams(raw);
    const secretHeader = req.headers.secret_key;
    const call: FakeRefreshCall = {
      secretKey: Array.isArray(secretHeader) ? secretHeader[0] : secretHeader,
      appId: form.get('app_id'),
      grantType: form.get('grant_type'),
      refreshToken: form.get('refresh_token'),
      outcome: 'refreshed',
    };
    this.refreshCalls.push(call);
    if (call.secretKey !== this.app.appSecret || call.appId !== this.app.appId) {
      call.outcome = 'bad_secret';
      json(res, 200, { error: -14002, error_name: 'Invalid app secret' });
      return;
    }
    const state = call.refreshToken ? this.refreshTokens.get(call.refreshToken) : undefined;
    if (state !== 'live') {
      call.outcome = state === 'spent' ? 'spent' : 'unknown';
      json(res, 200, { error: -14014, error_name: 'Invalid refresh token' });
      return;
    }
    // Spend at once, before the delay: a second caller during the delay sees it spent, like Zalo.
    this.refreshTokens.set(call.refreshToken!, 'spent');
    if (this.refreshDelayMs > 0) await new Promise((r) => setTimeout(r, this.refreshDelayMs));
    const access = `at-${randomBytes(8).toString('hex')}`;
    this.accessTokens.add(access);
    json(res, 200, { access_token: access, refresh_token: this.issueRefreshToken(), expires_in: '90000' });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}
