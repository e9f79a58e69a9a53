import type { Logger } from 'pino';
import type { TextCatalogue } from '../core/content.js';
import { DEFAULT_LOCALE, type Locale } from '../core/locale.js';
import type { InboundMessage, Reply } from '../core/messages.js';
import type { ImageFetcher, ImageReader } from '../ports/image-reader.js';
import type { MessageInterceptor } from './conversation-runtime.js';
import type { BackgroundTasks } from './offer-memory-effects.js';

/** Words of the read text shown back to the user, so they can see what was read. */
const SHOWN_WORDS = 12;
/** Fewer letters than this is not a readable offer (a photo of a face, a sticker). */
const MIN_LETTERS = 15;

/**
 * Pictures without text are read off the request path: the user is told at once that the picture
 * is being read; the OCR runs in the background (tesseract's worker thread, with its time limit)
 * and its text then goes through the conversation like a typed message, after an
 * "I read this from your picture:" line.
 */
export function createPictureInterceptor(deps: {
  fetcher: ImageFetcher;
  reader: ImageReader;
  texts: TextCatalogue;
  background: BackgroundTasks;
  sendLater: (message: InboundMessage, replies: Reply[], suffix: string) => Promise<void>;
  handleText: (message: InboundMessage) => Promise<void>;
  logger: Logger;
}): MessageInterceptor {
  return async ({ message, state }) => {
    const image = message.attachments.find((a) => a.kind === 'image' && (a.url || a.ref));
    if (!image || message.text.trim() || message.button || message.command) return undefined;
    const locale: Locale = state?.locale ?? DEFAULT_LOCALE;
    const say = (key: string, params?: Record<string, string>): Reply => ({
      text: deps.texts.t(locale, key, params),
      locale,
    });
    // Queued here rather than returned, so that it is in the outbox before anything the
    // background read may queue (a fast failure could otherwise overtake it).
    await deps.sendLater(message, [say('offer_memory.image_reading')], 'ocr-start');
    deps.background.run(async () => {
      let text = '';
      try {
        const bytes = await deps.fetcher.fetch(image);
        if (bytes === 'too_big') {
          await deps.sendLater(message, [say('offer_memory.image_too_big')], 'ocr');
          return;
        }
        if (bytes) text = await deps.reader.read(bytes);
      } catch (err) {
        deps.logger.warn({ err: { message: (err as Error).message } }, 'picture could not be read');
      }
      if ((text.match(/\p{L}/gu) ?? []).length < MIN_LETTERS) {
        await deps.sendLater(message, [say('offer.image_unreadable')], 'ocr');
        return;
      }
      const words = text.split(/\s+/).filter(Boolean);
      const shown = words.slice(0, SHOWN_WORDS).join(' ') + (words.length > SHOWN_WORDS ? ' …' : '');
      await deps.sendLater(message, [say('offer_memory.image_read', { words: shown })], 'ocr');
      await deps.handleText({ ...message, messageId: `${message.messageId}:ocr`, text, attachments: [] });
    });
    return { replies: [], handled: true };
  };
}
