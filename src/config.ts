import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { isTimeZone } from './core/local-day.js';
import { ConfigError } from './errors.js';

/**
 * The only reader of the environment. `loadConfig` parses it once with zod and returns a frozen,
 * typed object; every bad value becomes one line that names the variable and says what is wrong.
 */

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const positiveInt = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .positive('must be above 0');

const url = z.url({ message: 'must be a URL such as https://example.org' });

const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const secret = (min: number) => z.string().min(min, `must be at least ${min} characters`);

const telegramSecret = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z a-z 0-9 _ - (Telegram rule)');

const envSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { message: 'must be development, production or test' })
    .default('development'),
  PORT: port.default(3000),
  HOST: z.string().min(1).optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  ROLE: z.enum(['all', 'web', 'worker'], { message: 'must be all, web or worker' }).default('all'),
  /** Where a day starts and ends for statistics and daily figures: the hotline's zone, not UTC. */
  TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as Asia/Ho_Chi_Minh or UTC')
    .default('Asia/Ho_Chi_Minh'),
  REDIS_URL: z
    .string()
    .regex(
      /^(rediss?|redis\+cluster|redis\+sentinel):\/\//,
      'must start with redis://, rediss://, redis+cluster:// or redis+sentinel://',
    )
    .optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,40}$/, 'must be 1-40 characters of A-Z a-z 0-9 _ . : -')
    .default('smb'),
  /** Keyed hashing of user ids in logs and of contacts in the offer memory. */
  HASH_SECRET: secret(16).optional(),
  USER_DATA_TTL_DAYS: positiveInt.default(30),
  PUBLIC_BASE_URL: url.optional(),
  WEBCHAT_ALLOWED_ORIGINS: csv.default([]),
  WEBCHAT_MESSAGES_PER_MINUTE: positiveInt.default(30),
  USER_MESSAGES_PER_MINUTE: positiveInt.default(30),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'does not look like a BotFather token (123456:ABC...)')
    .optional(),
  TELEGRAM_WEBHOOK_SECRET: telegramSecret.optional(),
  TELEGRAM_MODE: z.enum(['webhook', 'polling'], { message: 'must be webhook or polling' }).default('webhook'),
  TELEGRAM_API_ROOT: url.default('https://api.telegram.org'),
  /**
   * Messages per second the bot sends in all (Telegram's free limit is about 30; paid broadcasts
   * allow up to 1000). Benchmarks against a fake Bot API raise it.
   */
  TELEGRAM_SENDS_PER_SECOND: positiveInt.default(30),
  ZALO_APP_ID: z.string().regex(/^\d+$/, 'must be the numeric app id').optional(),
  ZALO_OA_SECRET_KEY: secret(8).optional(),
  ZALO_APP_SECRET: secret(8).optional(),
  ZALO_REFRESH_TOKEN: z.string().min(1).optional(),
  ZALO_ACCESS_TOKEN: z.string().min(1).optional(),
  ZALO_API_BASE: url.default('https://openapi.zalo.me'),
  ZALO_OAUTH_BASE: url.default('https://oauth.zaloapp.com'),
  ZALO_MAX_EVENT_AGE_SECONDS: positiveInt.default(600),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: url.optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: positiveInt.default(4000),
  DISTRESS_LLM: z.enum(['on', 'off']).default('off'),
  OPERATOR_TELEGRAM_CHAT_ID: z
    .string()
    .regex(/^-?\d+$/, 'must be a numeric Telegram chat id')
    .optional(),
  SLA_IMMINENT_SECONDS: positiveInt.default(120),
  SLA_HIGH_SECONDS: positiveInt.default(600),
  SLA_CONCERN_SECONDS: positiveInt.default(3600),
  OPERATOR_IDLE_RETURN_SECONDS: positiveInt.default(900),
  CASE_RETENTION_DAYS: positiveInt.default(180),
  CASE_OUTCOMES: csv.default([
    'referred_to_police',
    'referred_to_consulate',
    'advice_given',
    'not_trafficking',
    'no_response',
  ]),
  DISCREET_CODE_WORD: z.string().min(3, 'must be at least 3 characters').optional(),
  ASSESS_API_KEYS: csv.default([]),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Who may read /metrics: the scraper with METRICS_TOKEN, anyone, or nobody (no route). */
  METRICS_ACCESS: z.enum(['token', 'public', 'off'], { message: 'must be token, public or off' }).optional(),
  OPERATOR_SESSION_HOURS: positiveInt.default(12),
  OPERATOR_SESSION_IDLE_MINUTES: positiveInt.default(60),
  SHUTDOWN_GRACE_MS: positiveInt.default(10_000),
  /** A queue entry pending this long is taken to belong to a dead worker and handed to another. */
  QUEUE_RECLAIM_IDLE_MS: positiveInt.default(30_000),
  OFFER_CONTACT_ALERT_THRESHOLD: positiveInt.default(5),
  /** Who may set X-Forwarded-For: false, true, a hop count, or proxy addresses/CIDRs (comma-separated). */
  TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d{1,2}|[0-9A-Fa-f.:/]+(,\s*[0-9A-Fa-f.:/]+)*)$/,
      'must be true, false, a hop count or proxy addresses',
    )
    .default('false'),
  /** Requests per minute per client address on the public routes. */
  RATE_LIMIT_WEBCHAT: positiveInt.default(300),
  RATE_LIMIT_ASSESS: positiveInt.default(120),
  RATE_LIMIT_OPERATOR: positiveInt.default(300),
  RATE_LIMIT_LOGIN: positiveInt.default(20),
  RATE_LIMIT_CONSOLE: positiveInt.default(300),
  RATE_LIMIT_ZALO: positiveInt.default(3000),
});

export type Env = z.input<typeof envSchema>;
type ParsedEnv = z.output<typeof envSchema>;

export interface Config {
  env: ParsedEnv['NODE_ENV'];
  production: boolean;
  http: {
    port: number;
    host: string;
    publicBaseUrl: string | undefined;
    /** Fastify trustProxy: which proxies' X-Forwarded-For to believe (request.ip). */
    trustProxy: boolean | number | string[];
    /** Requests per minute per client address, per group of public routes (never the Telegram webhook). */
    rateLimits: {
      webchat: number;
      assess: number;
      operator: number;
      login: number;
      console: number;
      zalo: number;
    };
  };
  logLevel: ParsedEnv['LOG_LEVEL'];
  role: ParsedEnv['ROLE'];
  /** IANA zone whose midnight starts a day in statistics, the dashboard and per-day alerts. */
  timeZone: string;
  redis: { url: string; prefix: string } | undefined;
  /** Prefix used for keys even on the memory store, so that tests can namespace both the same way. */
  keyPrefix: string;
  hashSecret: string;
  /** True when HASH_SECRET was generated for this process only (development). */
  hashSecretEphemeral: boolean;
  userDataTtlSeconds: number;
  webchat: { allowedOrigins: string[]; messagesPerMinute: number };
  /** Per-user flood control in the conversation, on every channel. */
  userMessagesPerMinute: number;
  telegram:
    | {
        token: string;
        webhookSecret: string | undefined;
        mode: 'webhook' | 'polling';
        apiRoot: string;
        sendsPerSecond: number;
      }
    | undefined;
  zalo:
    | {
        appId: string;
        oaSecretKey: string;
        appSecret: string;
        refreshToken: string | undefined;
        accessToken: string | undefined;
        apiBase: string;
        oauthBase: string;
        maxEventAgeSeconds: number;
      }
    | undefined;
  openai: { apiKey: string; baseUrl: string | undefined; model: string; timeoutMs: number } | undefined;
  /**
   * People's own messages may go to the model for a distress second opinion (DISTRESS_LLM=on, with
   * OPENAI_API_KEY): a privacy decision the deployer takes explicitly.
   */
  distressLlm: boolean;
  operators: {
    telegramChatId: string | undefined;
    sessionHours: number;
    sessionIdleMinutes: number;
    slaSeconds: { imminent: number; high: number; concern: number };
    idleReturnSeconds: number;
    outcomes: string[];
    caseRetentionDays: number;
  };
  discreetCodeWord: string | undefined;
  assessApiKeys: string[];
  /**
   * Who reads /metrics: `token` answers only a scraper presenting the token as a Bearer token,
   * `public` anyone (development, or a deployer who said so), `off` nobody (the route is absent).
   */
  metrics: MetricsAccess;
  shutdownGraceMs: number;
  /** Inbox and outbox: how long an unacked entry waits before another worker takes it over. */
  queueReclaimIdleMs: number;
  /** Distinct forwards of one contact in a day above which operators are alerted. */
  offerContactAlertThreshold: number;
}

export type MetricsAccess = { access: 'token'; token: string } | { access: 'public' } | { access: 'off' };

/**
 * Queue depths and traffic say how busy the hotline is, so production never serves them to anyone
 * by accident: it wants METRICS_TOKEN, or METRICS_ACCESS=public or off said out loud. Development
 * (`npm start` with no environment) keeps /metrics open.
 */
function metricsAccess(
  token: string | undefined,
  access: 'token' | 'public' | 'off' | undefined,
  production: boolean,
  problems: string[],
): MetricsAccess {
  if (access === 'public' || access === 'off') {
    if (token) {
      problems.push(`METRICS_TOKEN: set, but METRICS_ACCESS=${access} would ignore it; unset one of the two`);
    }
    return { access };
  }
  if (token) return { access: 'token', token };
  if (access === 'token') {
    problems.push('METRICS_TOKEN: required when METRICS_ACCESS=token');
  } else if (production) {
    problems.push(
      'METRICS_TOKEN: required in production to keep /metrics to your scraper ' +
        '(or METRICS_ACCESS=public to serve it to anyone, METRICS_ACCESS=off to switch it off)',
    );
  }
  return { access: 'public' };
}

/** The "change-me..." values .env.example ships with. */
function isPlaceholder(value: string): boolean {
  return /^change-?me/i.test(value.trim());
}

function parseTrustProxy(value: string): boolean | number | string[] {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((s) => s.trim());
}

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const name = issue.path.join('.') || 'environment';
    return `${name}: ${issue.message}`;
  });
}

/** Parses the environment (process.env by default). Throws ConfigError listing every bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset": docker env files and shells often leave VAR= behind.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error));
  const e = parsed.data;
  const problems: string[] = [];
  const production = e.NODE_ENV === 'production';

  const telegram = e.TELEGRAM_BOT_TOKEN
    ? {
        token: e.TELEGRAM_BOT_TOKEN,
        webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
        mode: e.TELEGRAM_MODE,
        apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
        sendsPerSecond: e.TELEGRAM_SENDS_PER_SECOND,
      }
    : undefined;
  if (telegram && telegram.mode === 'webhook' && !telegram.webhookSecret) {
    problems.push('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_BOT_TOKEN is set in webhook mode');
  }

  const zaloParts = [e.ZALO_APP_ID, e.ZALO_OA_SECRET_KEY, e.ZALO_APP_SECRET];
  const zaloOn = zaloParts.every(Boolean);
  if (!zaloOn && zaloParts.some(Boolean)) {
    problems.push(
      'ZALO_APP_ID, ZALO_OA_SECRET_KEY, ZALO_APP_SECRET: set all three to switch Zalo on, or none',
    );
  }
  const zalo = zaloOn
    ? {
        appId: e.ZALO_APP_ID!,
        oaSecretKey: e.ZALO_OA_SECRET_KEY!,
        appSecret: e.ZALO_APP_SECRET!,
        refreshToken: e.ZALO_REFRESH_TOKEN,
        accessToken: e.ZALO_ACCESS_TOKEN,
        apiBase: e.ZALO_API_BASE.replace(/\/+$/, ''),
        oauthBase: e.ZALO_OAUTH_BASE.replace(/\/+$/, ''),
        maxEventAgeSeconds: e.ZALO_MAX_EVENT_AGE_SECONDS,
      }
    : undefined;

  const metrics = metricsAccess(e.METRICS_TOKEN, e.METRICS_ACCESS, production, problems);

  if (production) {
    if (!e.REDIS_URL)
      problems.push('REDIS_URL: required in production (cases and messages must survive a restart)');
    if (!e.HASH_SECRET)
      problems.push('HASH_SECRET: required in production (pseudonyms must be stable and secret)');
    // .env.example's values are public: a deployment that kept one has no secret at all.
    for (const [name, value] of [
      ['HASH_SECRET', e.HASH_SECRET],
      ['METRICS_TOKEN', e.METRICS_TOKEN],
    ] as const) {
      if (value !== undefined && isPlaceholder(value))
        problems.push(`${name}: still the placeholder from .env.example; set a long random value`);
    }
    if (telegram && telegram.mode === 'polling') problems.push('TELEGRAM_MODE: use webhook in production');
    if (zalo && !e.ZALO_REFRESH_TOKEN && !e.ZALO_ACCESS_TOKEN) {
      problems.push('ZALO_REFRESH_TOKEN: required in production when Zalo is on (first start needs a token)');
    }
    if ((telegram || zalo) && !e.PUBLIC_BASE_URL) {
      problems.push(
        'PUBLIC_BASE_URL: required in production when a channel is on (webhooks and console links)',
      );
    }
  }
  if (e.DISTRESS_LLM === 'on' && !e.OPENAI_API_KEY) {
    problems.push('DISTRESS_LLM: on needs OPENAI_API_KEY (the model that gives the second opinion)');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    env: e.NODE_ENV,
    production,
    http: {
      port: e.PORT,
      // Loopback by default on a laptop; containers set HOST=0.0.0.0.
      host: e.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
      publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
      trustProxy: parseTrustProxy(e.TRUST_PROXY),
      rateLimits: {
        webchat: e.RATE_LIMIT_WEBCHAT,
        assess: e.RATE_LIMIT_ASSESS,
        operator: e.RATE_LIMIT_OPERATOR,
        login: e.RATE_LIMIT_LOGIN,
        console: e.RATE_LIMIT_CONSOLE,
        zalo: e.RATE_LIMIT_ZALO,
      },
    },
    logLevel: e.LOG_LEVEL,
    role: e.ROLE,
    timeZone: e.TIME_ZONE,
    redis: e.REDIS_URL ? { url: e.REDIS_URL, prefix: e.REDIS_PREFIX } : undefined,
    keyPrefix: e.REDIS_PREFIX,
    hashSecret: e.HASH_SECRET ?? randomBytes(24).toString('base64url'),
    hashSecretEphemeral: !e.HASH_SECRET,
    userDataTtlSeconds: e.USER_DATA_TTL_DAYS * 86_400,
    webchat: { allowedOrigins: e.WEBCHAT_ALLOWED_ORIGINS, messagesPerMinute: e.WEBCHAT_MESSAGES_PER_MINUTE },
    userMessagesPerMinute: e.USER_MESSAGES_PER_MINUTE,
    telegram,
    zalo,
    openai: e.OPENAI_API_KEY
      ? {
          apiKey: e.OPENAI_API_KEY,
          baseUrl: e.OPENAI_BASE_URL,
          model: e.OPENAI_MODEL,
          timeoutMs: e.OPENAI_TIMEOUT_MS,
        }
      : undefined,
    distressLlm: e.DISTRESS_LLM === 'on' && Boolean(e.OPENAI_API_KEY),
    operators: {
      telegramChatId: e.OPERATOR_TELEGRAM_CHAT_ID,
      sessionHours: e.OPERATOR_SESSION_HOURS,
      sessionIdleMinutes: e.OPERATOR_SESSION_IDLE_MINUTES,
      slaSeconds: {
        imminent: e.SLA_IMMINENT_SECONDS,
        high: e.SLA_HIGH_SECONDS,
        concern: e.SLA_CONCERN_SECONDS,
      },
      idleReturnSeconds: e.OPERATOR_IDLE_RETURN_SECONDS,
      outcomes: e.CASE_OUTCOMES,
      caseRetentionDays: e.CASE_RETENTION_DAYS,
    },
    discreetCodeWord: e.DISCREET_CODE_WORD,
    assessApiKeys: e.ASSESS_API_KEYS,
    metrics,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    queueReclaimIdleMs: e.QUEUE_RECLAIM_IDLE_MS,
    offerContactAlertThreshold: e.OFFER_CONTACT_ALERT_THRESHOLD,
  });
}
