import { createHmac } from 'node:crypto';
import type { UserRef } from '../core/user-ref.js';

/**
 * A keyed hash of a user ref for logs and statistics: stable for one secret, not reversible
 * without it, so a log line can be followed without naming the person.
 */
export function createPseudonymizer(secret: string): (user: UserRef) => string {
  return (user) =>
    createHmac('sha256', secret).update(`${user.channel}:${user.id}`).digest('base64url').slice(0, 16);
}
