import type { Attachment } from '../../core/messages.js';
import type { ImageFetcher } from '../../ports/image-reader.js';

/**
 * Fetches a user's picture: by URL (Zalo attachments carry payload.url; web chat links), or a
 * Telegram file id through getFile when Telegram is configured. Stops reading at `maxBytes`.
 */
export class HttpImageFetcher implements ImageFetcher {
  constructor(
    private readonly options: {
      maxBytes: number;
      timeoutMs: number;
      telegram?: { apiRoot: string; token: string } | undefined;
    },
  ) {}

  async fetch(attachment: Attachment): Promise<Buffer | 'too_big' | undefined> {
    if (attachment.size !== undefined && attachment.size > this.options.maxBytes) return 'too_big';
    const url = attachment.url ?? (attachment.ref ? await this.telegramFileUrl(attachment.ref) : undefined);
    if (!url || !/^https?:\/\//.test(url)) return undefined;
    const res = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs) });
    if (!res.ok || !res.body) return undefined;
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > this.options.maxBytes) {
      await res.body.cancel();
      return 'too_big';
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += chunk.byteLength;
      if (size > this.options.maxBytes) return 'too_big';
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }

  private async telegramFileUrl(fileId: string): Promise<string | undefined> {
    const tg = this.options.telegram;
    if (!tg) return undefined;
    const res = await fetch(`${tg.apiRoot}/bot${tg.token}/getFile?file_id=${encodeURIComponent(fileId)}`, {
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { ok?: boolean; result?: { file_path?: string; file_size?: number } };
    const path = body.result?.file_path;
    if (!body.ok || !path) return undefined;
    return `${tg.apiRoot}/file/bot${tg.token}/${path}`;
  }
}
