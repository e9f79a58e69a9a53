import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented secret with the expected ones in constant time. Both sides are hashed first,
 * so the comparison does not leak the length of the expected secret either.
 */
export function secretMatches(presented: string | undefined, expected: readonly string[]): boolean {
  if (!presented) return false;
  const got = createHash('sha256').update(presented).digest();
  let match = false;
  for (const candidate of expected) {
    const want = createHash('sha256').update(candidate).digest();
    // Check every key, so the time taken does not say which one matched.
    if (timingSafeEqual(got, want)) match = true;
  }
  return match;
}
