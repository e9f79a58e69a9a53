import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The X-ZEvent-Signature value Zalo sends: `mac=` + hex SHA-256 (plain, not HMAC) of
 * app_id + raw body + timestamp + secret. The raw bytes matter: re-serialised JSON would differ.
 */
export function zaloSignature(appId: string, rawBody: Buffer, timestamp: string, secret: string): string {
  const hash = createHash('sha256');
  hash.update(appId, 'utf8');
  hash.update(rawBody);
  hash.update(timestamp, 'utf8');
  hash.update(secret, 'utf8');
  return `mac=${hash.digest('hex')}`;
}

/** Compares a received header with the expected signature in constant time. */
export function verifyZaloSignature(
  header: string | undefined,
  appId: string,
  rawBody: Buffer,
  timestamp: string,
  secret: string,
): boolean {
  if (!header) return false;
  const expected = Buffer.from(zaloSignature(appId, rawBody, timestamp, secret), 'utf8');
  const received = Buffer.from(header.trim().toLowerCase(), 'utf8');
  // timingSafeEqual needs equal lengths; a wrong length is already a mismatch.
  if (received.length !== expected.length) return false;
  return timingSafeEqual(received, expected);
}
