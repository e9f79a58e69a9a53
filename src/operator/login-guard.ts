import { isIPv6 } from 'node:net';
import { RequestError } from '../errors.js';
import type { LockoutPolicy, OperatorStore } from '../ports/operator-store.js';

const WINDOW_MS = 15 * 60_000;

/**
 * What failed logins cost. Why this shape rather than a lock on the account name:
 *
 * - A lock on a name lets anyone who knows an operator's name keep them out of the console, and
 *   so away from people in danger. Failures therefore lock a name *at one address*: the guesser's
 *   address is locked for that name, the operator at their own address is not.
 * - One address guessing across many names, or guessing Bearer secrets, is locked as a whole.
 * - Many addresses guessing one name (a botnet) are slowed, never stopped at the name: past a
 *   per-name ceiling every failure locks its (name, address) pair at once, so each address gets one
 *   guess per window while an address that has not failed (the operator's own) still logs in.
 *
 * Secrets are 192 random bits, so guessing one is hopeless anyway; the guard is defence in depth,
 * and what it must never do is keep the hotline's own people out.
 */
export const LOGIN_GUARD = {
  /** One name tried from one address. */
  pair: { maxFailures: 5, windowMs: WINDOW_MS, lockMs: WINDOW_MS },
  /** One address, whatever names (or Bearer secrets) it tries. */
  address: { maxFailures: 20, windowMs: WINDOW_MS, lockMs: WINDOW_MS },
  /** One name from all addresses: past this many failures in the window, one failure locks its pair. */
  nameCeiling: { failures: 50, windowMs: WINDOW_MS },
} as const satisfies {
  pair: LockoutPolicy;
  address: LockoutPolicy;
  nameCeiling: { failures: number; windowMs: number };
};

/**
 * The network a client address stands for. One IPv6 subscriber holds a whole /64 (2^64 addresses),
 * so counting each address alone would give a guesser endless fresh ones: IPv6 counts by /64.
 * IPv4 (and IPv4 mapped into IPv6) counts by address.
 */
export function lockoutNetwork(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1] as string;
  if (isIPv6(address)) return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
  return address;
}

/** The eight 16-bit groups of an IPv6 address, as lowercase hex without leading zeros. */
function expandIPv6(address: string): string[] {
  const [head, tail] = address.toLowerCase().split('%')[0]!.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => g.replace(/^0+(?=.)/, ''));
}

const addressSubject = (address: string) => `ip:${lockoutNetwork(address)}`;
const pairSubject = (name: string, address: string) => `pair:${name}@${lockoutNetwork(address)}`;
const nameSubject = (name: string) => `name:${name}`;

/** Login and Bearer-secret guard over the operator store's failure counters (Redis or memory). */
export class LoginGuard {
  constructor(private readonly operators: OperatorStore) {}

  /**
   * Throws 429 LOCKED_OUT when `address` may not try now: the address is locked, or (with a name)
   * the address is locked for that name. The address is Fastify's request.ip, so TRUST_PROXY decides
   * whose X-Forwarded-For counts.
   */
  async check(address: string, name: string | undefined, now: number): Promise<void> {
    if (await this.operators.isLockedOut(addressSubject(address), now)) {
      throw new RequestError(
        429,
        'LOCKED_OUT',
        'Too many failed logins from this address; try again in 15 minutes.',
      );
    }
    if (name !== undefined && (await this.operators.isLockedOut(pairSubject(name, address), now))) {
      throw new RequestError(
        429,
        'LOCKED_OUT',
        'Too many failed logins for this account from this address; try again in 15 minutes.',
      );
    }
  }

  /**
   * Counts a failed login (with a name) or a wrong Bearer secret (without). Returns what it set off,
   * as short words for the audit trail (`name_ceiling`, `locked_pair`, `locked_address`).
   */
  async failed(address: string, name: string | undefined, now: number): Promise<string[]> {
    const events: string[] = [];
    if (name !== undefined) {
      const { nameCeiling, pair } = LOGIN_GUARD;
      const nameFailures = await this.operators.countFailure(nameSubject(name), now, nameCeiling.windowMs);
      const underAttack = nameFailures > nameCeiling.failures;
      if (underAttack) events.push('name_ceiling');
      const policy = underAttack ? { ...pair, maxFailures: 1 } : pair;
      if (await this.operators.recordFailure(pairSubject(name, address), now, policy))
        events.push('locked_pair');
    }
    if (await this.operators.recordFailure(addressSubject(address), now, LOGIN_GUARD.address))
      events.push('locked_address');
    return events;
  }

  /**
   * A good login clears only its own pair: the address's count (other names) and the name's count
   * (other addresses) stay, or a guesser holding one valid account could wipe them between guesses.
   */
  async succeeded(address: string, name: string): Promise<void> {
    await this.operators.clearFailures(pairSubject(name, address));
  }
}
