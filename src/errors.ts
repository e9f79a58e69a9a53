/**
 * Coded errors, named by where they fail. Every error we throw on purpose carries a stable
 * `code` that logs, metrics and HTTP answers can rely on; the message is for people.
 */
export class AppError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The environment holds a value we cannot run with. `issues` lists one line per bad variable. */
export class ConfigError extends AppError {
  readonly issues: string[];
  constructor(issues: string[]) {
    super('CONFIG_INVALID', issues.join('\n'));
    this.issues = issues;
  }
}

/** A flow file is malformed or points at a node, content key or action that does not exist. */
export class FlowDefinitionError extends AppError {
  constructor(message: string) {
    super('FLOW_INVALID', message);
  }
}

/** A content file is malformed, missing in one language, or lacks a source. */
export class ContentError extends AppError {
  constructor(message: string) {
    super('CONTENT_INVALID', message);
  }
}

/** The store (Redis or memory) failed or timed out. */
export class StoreError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_FAILED', message, options);
  }
}

/**
 * A platform API (Telegram, Zalo, OpenAI) refused or failed a call. `retryAfterMs` is set when
 * the platform told us how long to wait; `permanent` when retrying cannot help (blocked, bad request).
 */
export class ChannelApiError extends AppError {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly permanent: boolean;
  constructor(
    code: string,
    message: string,
    details: { status?: number; retryAfterMs?: number; permanent?: boolean; cause?: unknown } = {},
  ) {
    super(code, message, { cause: details.cause });
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.permanent = details.permanent ?? false;
  }
}

/** A request is well-formed HTTP but its content breaks a rule (HTTP 4xx with this code). */
export class RequestError extends AppError {
  readonly statusCode: number;
  constructor(statusCode: number, code: string, message: string) {
    super(code, message);
    this.statusCode = statusCode;
  }
}

/** An operator account with that name exists already. */
export class AccountExistsError extends AppError {
  constructor(name: string) {
    super('ACCOUNT_EXISTS', `An operator account named ${name} exists already.`);
  }
}
