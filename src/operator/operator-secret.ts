import { createHmac, randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

// About 50 ms and 16 MiB per check: slow for a guesser, fine for a login.
const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

function scryptAsync(secret: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** A new random secret (192 bits, URL-safe). */
export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** A random opaque id (sessions, CSRF tokens). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** `scrypt$N$r$p$salt$hash`: the parameters travel with the hash so that they can change later. */
export async function hashOperatorSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, KEY_LENGTH, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

/** Constant-time check of a secret against a stored `hashOperatorSecret` value. */
export async function verifyOperatorSecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 };
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64url'), expected.length, options);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Where a Bearer secret's account is found. Keyed with HASH_SECRET so that the index alone does not
 * let anyone test guesses; the scrypt hash is still checked after the lookup.
 */
export function secretLookupId(hashSecret: string, secret: string): string {
  return createHmac('sha256', hashSecret)
    .update(`operator-secret:${secret}`)
    .digest('base64url')
    .slice(0, 32);
}
