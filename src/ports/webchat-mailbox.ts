import type { Reply } from '../core/messages.js';

export interface MailboxItem {
  /** Ordered id, usable as the SSE Last-Event-ID. */
  eventId: string;
  reply: Reply;
  at: number;
}

/**
 * Replies waiting for a web chat session's browser. Kept briefly (the page fetches on reconnect)
 * and capped per session. `subscribe` tells this process when a session has something new, even
 * when another process wrote it.
 */
export interface WebchatMailbox {
  push(session: string, reply: Reply, at: number): Promise<string>;
  readAfter(session: string, afterEventId: string | undefined, limit: number): Promise<MailboxItem[]>;
  subscribe(session: string, onNew: () => void): () => void;
  erase(session: string): Promise<void>;
  close(): Promise<void>;
}
