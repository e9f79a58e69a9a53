/** What an operator may do: operators work cases; supervisors also manage accounts and see statistics. */
export type OperatorRole = 'operator' | 'supervisor';
export const OPERATOR_ROLES: readonly OperatorRole[] = ['operator', 'supervisor'];

/** Account names: short, no spaces, safe in keys, URLs and logs. */
export const OPERATOR_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

/** An account as shown to people: never the secret or its hash. */
export interface OperatorAccount {
  name: string;
  role: OperatorRole;
  disabled: boolean;
  createdAt: number;
}

/** A console login. `csrfToken` must come back in `x-csrf-token` on every mutation. */
export interface OperatorSession {
  id: string;
  name: string;
  csrfToken: string;
  /** Absolute end (OPERATOR_SESSION_HOURS after login), whatever the activity. */
  expiresAt: number;
  /** Idle end: each use moves it to now + OPERATOR_SESSION_IDLE_MINUTES (never past expiresAt). */
  idleExpiresAt: number;
}

/** Lockout rule for guessed secrets: `maxFailures` within `windowMs` locks for `lockMs`. */
export interface LockoutPolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/**
 * Operator accounts, console sessions and login failure counters. Secrets are returned once (by
 * `add` and `reset`) and stored only as a scrypt hash, plus a keyed-hash lookup id so that a
 * Bearer secret alone finds its account.
 */
export interface OperatorStore {
  /** Creates an account; throws AccountExistsError when the name is taken. */
  add(
    name: string,
    role: OperatorRole,
    now: number,
  ): Promise<{ name: string; role: OperatorRole; secret: string }>;
  get(name: string): Promise<OperatorAccount | null>;
  list(): Promise<OperatorAccount[]>;
  count(): Promise<number>;
  /** Disables the account (kept for the audit trail). False when there is no such account. */
  disable(name: string): Promise<boolean>;
  /** A new secret (the old one stops working); null when there is no such account. */
  reset(name: string): Promise<string | null>;
  /** The enabled account the secret belongs to (and, when given, whose name matches), or null. */
  verify(name: string | undefined, secret: string): Promise<OperatorAccount | null>;
  createSession(name: string, now: number): Promise<OperatorSession>;
  /**
   * The session when it exists and has passed neither its absolute nor its idle end at `now`; the
   * use moves the idle end. An expired session is deleted.
   */
  getSession(id: string, now: number): Promise<OperatorSession | null>;
  deleteSession(id: string): Promise<void>;
  /**
   * Counts a failed login for `subject` (an address, or a name at an address) within
   * `policy.windowMs` (the store's policy by default); the failure that reaches `policy.maxFailures`
   * locks the subject for `policy.lockMs` and starts the count again. True when this failure locked it.
   */
  recordFailure(subject: string, now: number, policy?: LockoutPolicy): Promise<boolean>;
  /** Counts a failed login for `subject` within `windowMs` without ever locking it; the count, this one included. */
  countFailure(subject: string, now: number, windowMs: number): Promise<number>;
  isLockedOut(subject: string, now: number): Promise<boolean>;
  clearFailures(subject: string): Promise<void>;
}
