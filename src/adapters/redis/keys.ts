import type { UserRef } from '../../core/user-ref.js';

/**
 * Every Redis key name, in one place. Keys that a script or transaction touches together share a
 * hash tag ({...}) so that they land in one slot on Redis Cluster.
 */
export function createKeys(prefix: string) {
  const p = prefix;
  const userTag = (user: UserRef) => `{u:${user.channel}:${user.id}}`;
  return {
    prefix: p,
    /** Hash of one user's fields (state, progress, message ids). */
    user: (user: UserRef) => `${p}:${userTag(user)}`,
    dedupe: (scope: string, id: string) => `${p}:dd:${scope}:${id}`,
    lock: (name: string) => `${p}:lock:${name}`,
    /** A queue's stream and its dead-letter stream share the queue's tag. */
    stream: (queue: string) => `${p}:{q:${queue}}:s`,
    deadStream: (queue: string) => `${p}:{q:${queue}}:dead`,
    /** Replies waiting for one web chat session's browser. */
    webchatMailbox: (session: string) => `${p}:{w:${session}}:mb`,
    webchatNotify: () => `${p}:wc:notify`,
    /** The Zalo OA token pair (JSON), one per app. */
    zaloTokens: (appId: string) => `${p}:zalo:tokens:${appId}`,
    /** Everything under the prefix, for tests' clean-up. */
    pattern: () => `${p}:*`,
  };
}

export type Keys = ReturnType<typeof createKeys>;
