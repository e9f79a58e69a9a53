/**
 * Token buckets for platform send limits: one for the whole channel and one per chat. `wait`
 * resolves when a message may go out. Idle chat buckets are dropped so memory stays bounded.
 */
export class SendRateLimiter {
  private global: Bucket;
  private readonly chats = new Map<string, Bucket>();

  constructor(
    private readonly limits: { perSecond: number; perChatPerSecond: number; perChatBurst: number },
    private readonly clock: { now(): number } = Date,
  ) {
    this.global = { tokens: limits.perSecond, updatedAt: clock.now() };
  }

  async wait(chatId: string): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const chat = this.chats.get(chatId) ?? { tokens: this.limits.perChatBurst, updatedAt: now };
      refill(this.global, now, this.limits.perSecond, this.limits.perSecond);
      refill(chat, now, this.limits.perChatPerSecond, this.limits.perChatBurst);
      this.chats.set(chatId, chat);
      if (this.global.tokens >= 1 && chat.tokens >= 1) {
        this.global.tokens -= 1;
        chat.tokens -= 1;
        if (this.chats.size > 10_000) this.sweep(now);
        return;
      }
      const needGlobal =
        this.global.tokens >= 1 ? 0 : ((1 - this.global.tokens) / this.limits.perSecond) * 1000;
      const needChat = chat.tokens >= 1 ? 0 : ((1 - chat.tokens) / this.limits.perChatPerSecond) * 1000;
      await new Promise((r) => setTimeout(r, Math.max(5, Math.ceil(Math.max(needGlobal, needChat)))));
    }
  }

  private sweep(now: number): void {
    for (const [chatId, bucket] of this.chats) {
      if (now - bucket.updatedAt > 60_000) this.chats.delete(chatId);
    }
  }
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

function refill(bucket: Bucket, now: number, perSecond: number, capacity: number): void {
  const elapsed = Math.max(0, now - bucket.updatedAt);
  bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed / 1000) * perSecond);
  bucket.updatedAt = now;
}
