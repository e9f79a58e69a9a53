import { createHash } from 'node:crypto';
import type { UserRef } from '../../core/user-ref.js';

/** A session id is the web chat user's id: key names carry only a digest of it. */
const sessionDigest = (session: string) =>
  createHash('sha256').update(`webchat:${session}`).digest('base64url').slice(0, 27);

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
    /**
     * A user's lease (one worker at a time): the user's tag, so that one script takes the lease and
     * reads the record, and one writes the record and releases the lease.
     */
    userLease: (user: UserRef) => `${p}:${userTag(user)}:lease`,
    dedupe: (scope: string, id: string) => `${p}:dd:${scope}:${id}`,
    lock: (name: string) => `${p}:lock:${name}`,
    /** A queue's stream and its dead-letter stream share the queue's tag. */
    stream: (queue: string) => `${p}:{q:${queue}}:s`,
    deadStream: (queue: string) => `${p}:{q:${queue}}:dead`,
    /**
     * Mark of a dedupe id already added to a queue (addOnce), under a digest of the id only (see
     * idDigest): the queue's tag, so that one script marks, adds and joins the order in one slot.
     */
    queueOnce: (queue: string, idDigest: string) => `${p}:{q:${queue}}:m:${idDigest}`,
    /**
     * Mark of an entry's done id (a reply the platform took), under a digest of the id only: the
     * queue's tag, so that the script that acks the entry sets it and the check before handling reads it.
     */
    queueDone: (queue: string, idDigest: string) => `${p}:{q:${queue}}:d:${idDigest}`,
    /** Entry ids of one chat in the order they were queued (a sorted set, same tag as the stream). */
    queueOrder: (queue: string, orderKey: string) => `${p}:{q:${queue}}:o:${orderKey}`,
    /** Replies waiting for one web chat session's browser. */
    webchatMailbox: (session: string) => `${p}:{w:${sessionDigest(session)}}:mb`,
    webchatNotify: () => `${p}:wc:notify`,
    /**
     * Escalation cases: every case key shares the {cases} tag, so that the scripts that move a case
     * between queues, the user's open-case index and the case itself run in one slot.
     */
    caseData: (id: string) => `${p}:{cases}:c:${id}`,
    caseTranscript: (id: string) => `${p}:{cases}:t:${id}`,
    caseAudit: (id: string) => `${p}:{cases}:a:${id}`,
    caseOpen: (user: UserRef) => `${p}:{cases}:open:${user.channel}:${user.id}`,
    caseQueue: (state: 'waiting' | 'claimed' | 'resolved') => `${p}:{cases}:q:${state}`,
    /** Operator accounts, their secret lookup index, sessions and login failure counters. */
    operatorAccount: (name: string) => `${p}:{ops}:acct:${name}`,
    operatorNames: () => `${p}:{ops}:names`,
    operatorLookup: (lookupId: string) => `${p}:{ops}:lookup:${lookupId}`,
    operatorSession: (id: string) => `${p}:ops:sess:${id}`,
    /** The session ids of one account, so that a reset or a disable ends them all. */
    operatorSessionsOf: (name: string) => `${p}:ops:ss:${name}`,
    operatorFailures: (subject: string) => `${p}:{opf:${subject}}:n`,
    operatorLockout: (subject: string) => `${p}:{opf:${subject}}:lock`,
    /** Pub/sub channel of operator console events (no text, no personal data). */
    operatorEvents: () => `${p}:ops:events`,
    /** @fastify/rate-limit keys of the operator API. */
    operatorRateLimit: () => `${p}:ops:rl:`,
    /** @fastify/rate-limit key prefix of one group of public routes (expiring per-address counters). */
    rateLimit: (group: string) => `${p}:rl:${group}:`,
    /** The Zalo OA token pair (JSON), one per app. */
    zaloTokens: (appId: string) => `${p}:zalo:tokens:${appId}`,
    /** Offer memory: LSH band value -> cluster ids. */
    offerBand: (band: string) => `${p}:om:b:${band}`,
    /** A cluster's record and its flag counts share the cluster's tag. */
    offerCluster: (id: string) => `${p}:{om:c:${id}}`,
    offerClusterFlags: (id: string) => `${p}:{om:c:${id}}:f`,
    /** A contact's record under its keyed hash (never the contact itself), and its clusters. */
    offerContact: (id: string) => `${p}:{om:k:${id}}`,
    offerContactClusters: (id: string) => `${p}:{om:k:${id}}:c`,
    /** HyperLogLog of distinct forwarders of one contact on one day. */
    offerContactDay: (id: string, day: string) => `${p}:{om:k:${id}}:d:${day}`,
    offerContactAlerted: (id: string, day: string) => `${p}:{om:k:${id}}:a:${day}`,
    offerLabel: (target: string) => `${p}:om:l:${target}`,
    offerTopClusters: () => `${p}:om:top:c`,
    offerTopContacts: () => `${p}:om:top:k`,
    offerSubscribers: (clusterId: string) => `${p}:om:s:${clusterId}`,
    /** The clusters one subscriber waits on, so that erasing the user finds them. */
    offerSubscriberIndex: (user: UserRef) => `${p}:om:su:${user.channel}:${user.id}`,
    /** Cached LLM second opinions by text hash. */
    llmCache: (hash: string) => `${p}:llm:${hash}`,
    /** Anonymous daily counters (offers checked, red flags, lessons): one hash per day of TIME_ZONE. */
    statsDay: (day: string) => `${p}:st:d:${day}`,
    /** Everything under the prefix, for tests' clean-up. */
    pattern: () => `${p}:*`,
  };
}

export type Keys = ReturnType<typeof createKeys>;

/**
 * What is kept without a TTL in Redis, and why: the ONE list of exceptions. Everything else (user
 * records, mailboxes, dedupe marks, sessions, locks, counters, offer memory, subscriptions) expires
 * by itself. A test scans every key after real conversations and fails on any key without a TTL
 * that no line here names. Patterns follow the prefix (`<prefix>:`); they live here, beside the
 * key names they match.
 */
export const KEYS_WITHOUT_TTL: ReadonlyArray<{ pattern: RegExp; what: string; until: string }> = [
  {
    pattern: /^\{cases\}:(c|t|a|open):/,
    what: 'escalation cases: the case, its transcript excerpt, its audit trail, the open-case index',
    until:
      'an open case stays while the person may be in danger; a resolved one is deleted by the retention job after CASE_RETENTION_DAYS (and cleared of the person at once if they asked to be forgotten)',
  },
  {
    pattern: /^\{cases\}:q:(waiting|claimed|resolved)$/,
    what: 'the queues of case ids (no personal data)',
    until: 'ids leave with their case',
  },
  {
    pattern: /^\{ops\}:(acct:|names$|lookup:)/,
    what: 'operator accounts (name, role, scrypt hash) and the keyed lookup of their secrets',
    until: 'kept (a disabled account stays for the audit trail)',
  },
  {
    pattern: /^\{q:[^}]+\}:(s|dead)$/,
    what: 'inbox and outbox streams and their dead letters',
    until:
      'an entry is deleted once handled or sent; dead letters are deleted by the retention job after USER_DATA_TTL_DAYS',
  },
  {
    pattern: /^zalo:tokens:/,
    what: 'the Zalo OA token pair',
    until: 'replaced at each refresh',
  },
  {
    pattern: /^om:(top:[ck]$|l:)/,
    what: 'offer memory rankings (cluster ids, contact hashes) and operators’ labels of them',
    until: 'no personal data; ranked records themselves expire after 180 days without a forward',
  },
];

/** True when `key` (with its prefix) is one of the documented keys without a TTL. */
export function isDocumentedWithoutTtl(key: string, prefix: string): boolean {
  if (!key.startsWith(`${prefix}:`)) return false;
  const rest = key.slice(prefix.length + 1);
  return KEYS_WITHOUT_TTL.some((k) => k.pattern.test(rest));
}
