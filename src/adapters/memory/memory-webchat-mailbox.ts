import { EventEmitter } from 'node:events';
import type { Reply } from '../../core/messages.js';
import type { MailboxItem, WebchatMailbox } from '../../ports/webchat-mailbox.js';

const KEEP_PER_SESSION = 200;

export class MemoryWebchatMailbox implements WebchatMailbox {
  private readonly boxes = new Map<string, MailboxItem[]>();
  private readonly events = new EventEmitter();
  private sequence = 0;

  constructor() {
    this.events.setMaxListeners(0);
  }

  async push(session: string, reply: Reply, at: number): Promise<string> {
    const items = this.boxes.get(session) ?? [];
    const eventId = `${at}-${this.sequence++}`;
    items.push({ eventId, reply, at });
    if (items.length > KEEP_PER_SESSION) items.splice(0, items.length - KEEP_PER_SESSION);
    this.boxes.set(session, items);
    this.events.emit(session);
    return eventId;
  }

  async readAfter(session: string, afterEventId: string | undefined, limit: number): Promise<MailboxItem[]> {
    const items = this.boxes.get(session) ?? [];
    const start = afterEventId ? items.findIndex((i) => compareIds(i.eventId, afterEventId) > 0) : 0;
    return start < 0 ? [] : items.slice(start, start + limit);
  }

  subscribe(session: string, onNew: () => void): () => void {
    this.events.on(session, onNew);
    return () => this.events.off(session, onNew);
  }

  async erase(session: string): Promise<void> {
    this.boxes.delete(session);
  }

  async close(): Promise<void> {
    this.events.removeAllListeners();
  }
}

/** Compares "ms-seq" ids (the same shape as Redis stream ids). */
export function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am === bm ? as - bs : am - bm;
}
