import { ChannelApiError } from '../../errors.js';

/** What the v3 OA API answers; errors come with HTTP 200 and `error != 0`. */
export interface ZaloApiAnswer {
  error?: number;
  message?: string;
  data?: unknown;
}

/** A successful token refresh. */
export interface ZaloRefreshed {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
}

export interface ZaloApiOptions {
  appId: string;
  appSecret: string;
  apiBase: string;
  oauthBase: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * The two Zalo HTTP calls we make, without any SDK. Network failures and HTTP 5xx become
 * retryable ChannelApiErrors; the body of a 2xx answer is returned for the caller to check.
 * Token values never appear in error messages.
 */
export class ZaloApi {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ZaloApiOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  /** POST /v3.0/oa/message/cs (the consultation message API). */
  async sendCs(accessToken: string, body: unknown): Promise<ZaloApiAnswer> {
    const response = await this.call(`${this.options.apiBase}/v3.0/oa/message/cs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', access_token: accessToken },
      body: JSON.stringify(body),
    });
    return (await readJson(response)) as ZaloApiAnswer;
  }

  /** Spends `refreshToken` (single use) for a new pair. Throws ChannelApiError when Zalo refuses. */
  async refresh(refreshToken: string): Promise<ZaloRefreshed> {
    const form = new URLSearchParams({
      app_id: this.options.appId,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
    const response = await this.call(`${this.options.oauthBase}/v4/oa/access_token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        secret_key: this.options.appSecret,
      },
      body: form.toString(),
    });
    const answer = (await readJson(response)) as Record<string, unknown>;
    const access = answer.access_token;
    const refresh = answer.refresh_token;
    if (typeof access !== 'string' || !access || typeof refresh !== 'string' || !refresh) {
      const code =
        typeof answer.error === 'number' || typeof answer.error === 'string' ? answer.error : 'none';
      throw new ChannelApiError('ZALO_REFRESH_REFUSED', `Zalo refused the token refresh (error ${code})`, {
        status: response.status,
        permanent: true,
      });
    }
    // expires_in comes as a string of seconds; a missing or odd value falls back to Zalo's 25 h.
    const expires = Number(answer.expires_in);
    return {
      accessToken: access,
      refreshToken: refresh,
      expiresInSeconds: Number.isFinite(expires) && expires > 0 ? expires : 90_000,
    };
  }

  private async call(url: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetch(url, {
        ...init,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new ChannelApiError('ZALO_NETWORK', 'Zalo did not answer', { cause: errorSummary(error) });
    }
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel().catch(() => undefined);
      throw new ChannelApiError('ZALO_HTTP_UNAVAILABLE', `Zalo answered HTTP ${response.status}`, {
        status: response.status,
      });
    }
    if (response.status >= 400) {
      await response.body?.cancel().catch(() => undefined);
      throw new ChannelApiError('ZALO_HTTP_REFUSED', `Zalo answered HTTP ${response.status}`, {
        status: response.status,
        permanent: true,
      });
    }
    return response;
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object') return value;
  } catch {
    // fall through
  }
  throw new ChannelApiError('ZALO_BAD_ANSWER', 'Zalo answered something that is not a JSON object', {
    status: response.status,
  });
}

/** A cause without request details (the request carried a token). */
function errorSummary(error: unknown): string {
  if (error instanceof Error)
    return `${error.name}: ${(error.cause as Error | undefined)?.message ?? error.message}`;
  return 'unknown';
}
