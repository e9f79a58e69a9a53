import type { Attachment } from '../core/messages.js';

/** Reads the words in a picture (OCR). Implementations run off the request path. */
export interface ImageReader {
  /** The text in the image; empty when none could be read. Throws on timeout or a bad image. */
  read(image: Buffer): Promise<string>;
  close(): Promise<void>;
}

/** Gets the bytes of an image a user sent: a Telegram file id, or a URL (Zalo, web). */
export interface ImageFetcher {
  /** The image, or undefined when it cannot be fetched; 'too_big' above the size limit. */
  fetch(attachment: Attachment): Promise<Buffer | 'too_big' | undefined>;
}
