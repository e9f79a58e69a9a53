import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

function issuesOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
}

/** What production needs at least (METRICS_ACCESS=off keeps the metrics rules out of unrelated tests). */
const PRODUCTION = {
  NODE_ENV: 'production',
  REDIS_URL: 'redis://redis:6379',
  HASH_SECRET: 'x'.repeat(32),
  METRICS_ACCESS: 'off',
};

describe('config', () => {
  it('runs with no environment at all: port 3000, loopback, memory store', () => {
    const config = loadConfig({});
    expect(config.http).toMatchObject({ port: 3000, host: '127.0.0.1', publicBaseUrl: undefined });
    expect(config.http.trustProxy).toBe(false);
    expect(config.redis).toBeUndefined();
    expect(config.telegram).toBeUndefined();
    expect(config.zalo).toBeUndefined();
    expect(config.role).toBe('all');
    expect(config.hashSecretEphemeral).toBe(true);
    // The quick start (`npm ci && npm start`) runs in development, where /metrics stays open.
    expect(config.metrics).toEqual({ access: 'public' });
  });

  it('reads TRUST_PROXY as false, true, a hop count or proxy addresses, and refuses anything else', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).http.trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).http.trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.2, 172.16.0.0/12' }).http.trustProxy).toEqual([
      '10.0.0.2',
      '172.16.0.0/12',
    ]);
    expect(loadConfig({ ...PRODUCTION, HASH_SECRET: 'x'.repeat(16) }).http.trustProxy).toBe(false);
    expect(issuesOf({ TRUST_PROXY: 'everyone' })).toEqual([
      'TRUST_PROXY: must be true, false, a hop count or proxy addresses',
    ]);
  });

  it('names the variable and the rule for each bad value', () => {
    expect(issuesOf({ PORT: 'abc' })).toEqual(['PORT: must be a number']);
    expect(issuesOf({ PORT: '70000', LOG_LEVEL: 'loud' })).toEqual([
      'PORT: must be between 1 and 65535',
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
    expect(issuesOf({ REDIS_URL: 'localhost:6379' })).toEqual([
      'REDIS_URL: must start with redis://, rediss://, redis+cluster:// or redis+sentinel://',
    ]);
    expect(issuesOf({ TELEGRAM_BOT_TOKEN: 'nope' })[0]).toMatch(/^TELEGRAM_BOT_TOKEN: /);
  });

  it('counts days in Vietnam unless TIME_ZONE says otherwise, and refuses an unknown zone', () => {
    expect(loadConfig({}).timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(loadConfig({ TIME_ZONE: 'UTC' }).timeZone).toBe('UTC');
    expect(issuesOf({ TIME_ZONE: 'Saigon' })).toEqual([
      'TIME_ZONE: must be an IANA time zone such as Asia/Ho_Chi_Minh or UTC',
    ]);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: '' }).http.port).toBe(3000);
  });

  it('refuses production without Redis, a hash secret, or the secrets of a channel that is on', () => {
    expect(issuesOf({ NODE_ENV: 'production', METRICS_ACCESS: 'off' })).toEqual([
      'REDIS_URL: required in production (cases and messages must survive a restart)',
      'HASH_SECRET: required in production (pseudonyms must be stable and secret)',
    ]);
    const telegramWithoutSecret = issuesOf({
      ...PRODUCTION,
      PUBLIC_BASE_URL: 'https://bot.example.org',
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    });
    expect(telegramWithoutSecret).toEqual([
      'TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_BOT_TOKEN is set in webhook mode',
    ]);
    expect(issuesOf({ ZALO_APP_ID: '123' })).toEqual([
      'ZALO_APP_ID, ZALO_OA_SECRET_KEY, ZALO_APP_SECRET: set all three to switch Zalo on, or none',
    ]);
  });

  it('accepts a complete production configuration', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      REDIS_URL: 'redis://redis:6379',
      HASH_SECRET: 'x'.repeat(32),
      METRICS_TOKEN: 'metrics-scrape-token-0123456789',
      PUBLIC_BASE_URL: 'https://bot.example.org/',
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      TELEGRAM_WEBHOOK_SECRET: 'a-secret_1',
    });
    expect(config.http.host).toBe('0.0.0.0');
    expect(config.http.publicBaseUrl).toBe('https://bot.example.org');
    expect(config.telegram?.mode).toBe('webhook');
    expect(config.metrics).toEqual({ access: 'token', token: 'metrics-scrape-token-0123456789' });
  });

  it('refuses production without METRICS_TOKEN unless /metrics is declared public or switched off', () => {
    const { METRICS_ACCESS: _, ...production } = PRODUCTION;
    let error: unknown;
    try {
      loadConfig(production);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('CONFIG_INVALID');
    expect((error as ConfigError).issues).toEqual([
      'METRICS_TOKEN: required in production to keep /metrics to your scraper ' +
        '(or METRICS_ACCESS=public to serve it to anyone, METRICS_ACCESS=off to switch it off)',
    ]);
    const token = 'metrics-scrape-token-0123456789';
    expect(loadConfig({ ...production, METRICS_TOKEN: token }).metrics).toEqual({ access: 'token', token });
    expect(loadConfig({ ...production, METRICS_ACCESS: 'public' }).metrics).toEqual({ access: 'public' });
    expect(loadConfig({ ...production, METRICS_ACCESS: 'off' }).metrics).toEqual({ access: 'off' });
  });

  it('refuses a METRICS_ACCESS that contradicts METRICS_TOKEN, in any environment', () => {
    const token = 'metrics-scrape-token-0123456789';
    expect(issuesOf({ METRICS_ACCESS: 'token' })).toEqual([
      'METRICS_TOKEN: required when METRICS_ACCESS=token',
    ]);
    expect(issuesOf({ METRICS_ACCESS: 'public', METRICS_TOKEN: token })).toEqual([
      'METRICS_TOKEN: set, but METRICS_ACCESS=public would ignore it; unset one of the two',
    ]);
    expect(issuesOf({ METRICS_ACCESS: 'off', METRICS_TOKEN: token })).toEqual([
      'METRICS_TOKEN: set, but METRICS_ACCESS=off would ignore it; unset one of the two',
    ]);
    expect(issuesOf({ METRICS_ACCESS: 'private' })).toEqual(['METRICS_ACCESS: must be token, public or off']);
    expect(loadConfig({ METRICS_TOKEN: token }).metrics).toEqual({ access: 'token', token });
    expect(loadConfig({ METRICS_ACCESS: 'off' }).metrics).toEqual({ access: 'off' });
  });

  it('starts the documented production run: docker-compose.yml with .env copied from .env.example and filled in', () => {
    const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
      services: { app: { env_file: string; environment: Record<string, string> } };
    };
    expect(compose.services.app.env_file).toBe('.env');
    const example = Object.fromEntries(
      readFileSync('.env.example', 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#'))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    // As copied, the file's placeholders stop the start, naming what to fill in.
    expect(issuesOf({ ...example, ...compose.services.app.environment })).toEqual([
      'HASH_SECRET: still the placeholder from .env.example; set a long random value',
      'METRICS_TOKEN: still the placeholder from .env.example; set a long random value',
    ]);
    // Filled in as the README says, it starts.
    const config = loadConfig({
      ...example,
      HASH_SECRET: 'f3b1c0d2e4a5968778695a4b3c2d1e0f',
      METRICS_TOKEN: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      ...compose.services.app.environment,
    });
    expect(config.production).toBe(true);
    expect(config.metrics.access).toBe('token');
  });

  it('makes the process exit non-zero with one line naming PORT', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: 'abc', REDIS_URL: '' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toBe('Configuration error: PORT: must be a number');
  });

  it('makes production without METRICS_TOKEN refuse to start, naming the variable', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        REDIS_URL: 'redis://127.0.0.1:1',
        HASH_SECRET: 'x'.repeat(32),
        METRICS_TOKEN: '',
        METRICS_ACCESS: '',
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr.trim()).toMatch(/^Configuration error: METRICS_TOKEN: required in production/);
  });

  it('makes production without REDIS_URL refuse to start and say why', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, NODE_ENV: 'production', REDIS_URL: '', HASH_SECRET: 'x'.repeat(32) },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('REDIS_URL: required in production');
  });
});
