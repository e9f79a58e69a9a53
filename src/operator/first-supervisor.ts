import type { Logger } from 'pino';
import type { OperatorStore } from '../ports/operator-store.js';

/** The account created on a first start. */
export const FIRST_SUPERVISOR = 'admin';

/**
 * On a server with no operator account at all (a fresh install, or the embedded memory store that
 * the CLI cannot reach), creates supervisor "admin" and returns its secret for the caller to print
 * once to the console. Returns null when any account exists. The secret is never logged here.
 */
export async function ensureFirstSupervisor(
  store: OperatorStore,
  logger: Logger,
  now: number = Date.now(),
): Promise<{ name: string; secret: string } | null> {
  if ((await store.count()) > 0) return null;
  try {
    const { name, secret } = await store.add(FIRST_SUPERVISOR, 'supervisor', now);
    logger.info({ operator: name }, 'created the first supervisor account');
    return { name, secret };
  } catch (error) {
    // Another process of the same deployment created it a moment ago: its console shows the secret.
    if ((error as { code?: string }).code === 'ACCOUNT_EXISTS') return null;
    throw error;
  }
}
