import type { Reply } from '../../src/core/messages.js';

/** A web chat client speaking the page's HTTP API and reading replies over real SSE. */
export class WebchatClient {
  readonly replies: Reply[] = [];
  private controller = new AbortController();
  private sent = 0;
  session = '';

  constructor(readonly baseUrl: string) {}

  async open(): Promise<void> {
    const res = await fetch(`${this.baseUrl}/chat/api/session`, { method: 'POST' });
    this.session = ((await res.json()) as { session: string }).session;
    const stream = await fetch(`${this.baseUrl}/chat/api/events?session=${this.session}`, {
      signal: this.controller.signal,
      headers: { accept: 'text/event-stream' },
    });
    if (!stream.ok || !stream.body) throw new Error(`SSE failed: ${stream.status}`);
    void this.read(stream.body);
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.split('\n').find((l) => l.startsWith('data: '));
          if (data && event.includes('event: reply')) this.replies.push(JSON.parse(data.slice(6)) as Reply);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // closed by the test
    }
  }

  async post(body: { text?: string; button?: string; lang?: 'vi' | 'en' }): Promise<number> {
    this.sent += 1;
    const res = await fetch(`${this.baseUrl}/chat/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session: this.session, id: `c${this.sent}`, ...body }),
    });
    return res.status;
  }

  /** Posts, then waits until at least `count` new replies arrived; returns them. */
  async say(
    body: { text?: string; button?: string; lang?: 'vi' | 'en' },
    count = 1,
    timeoutMs = 5000,
  ): Promise<Reply[]> {
    const before = this.replies.length;
    const status = await this.post(body);
    if (status !== 202) throw new Error(`post answered ${status}`);
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length < before + count) {
      if (Date.now() > deadline)
        throw new Error(`waited for ${count} replies, got ${this.replies.length - before}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 60)); // let replies of the same step arrive
    return this.replies.slice(before);
  }

  button(replies: Reply[], label: string | RegExp): string {
    const all = replies.flatMap((r) => (r.buttons ?? []).flat());
    const found = all.find((b) => (typeof label === 'string' ? b.label === label : label.test(b.label)));
    if (!found) throw new Error(`no button ${label} among ${all.map((b) => b.label).join(' | ')}`);
    return found.payload;
  }

  close(): void {
    this.controller.abort();
  }
}
