/** Short leases that serialise work across processes (one user's messages, a token refresh). */
export interface LockStore {
  /** Returns a token when the lease was taken, null when someone else holds it. */
  acquire(name: string, ttlMs: number): Promise<string | null>;
  /** Releases the lease only if `token` still owns it. */
  release(name: string, token: string): Promise<void>;
}
