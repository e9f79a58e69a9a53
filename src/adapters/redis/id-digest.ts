import { createHash, createHmac } from 'node:crypto';

/**
 * What a Redis key name carries instead of a dedupe id (ids often hold a chat or session id,
 * `webchat:<session>:<msg>`): a digest, keyed with HASH_SECRET when one is configured.
 */
export function idDigest(id: string, hashSecret?: string): string {
  const digest = hashSecret
    ? createHmac('sha256', hashSecret).update(`dedupe:${id}`)
    : createHash('sha256').update(`dedupe:${id}`);
  return digest.digest('base64url').slice(0, 27);
}
