import type { Reply } from '../../core/messages.js';
import { ChannelApiError } from '../../errors.js';
import { QUICK_EXIT_CALLBACK } from './telegram-mapping.js';

/** Telegram's sendMessage text limit, in characters. */
export const MAX_MESSAGE_LENGTH = 4096;
/** Telegram's callback_data limit, in bytes. */
export const MAX_CALLBACK_BYTES = 64;

export type InlineButton = { text: string; callback_data: string } | { text: string; url: string };

/** One sendMessage call: plain text (no parse_mode, so nothing in user content needs escaping). */
export interface TelegramOutgoing {
  text: string;
  reply_markup?: { inline_keyboard: InlineButton[][] };
}

/**
 * Turns a Reply into sendMessage calls. Phone numbers become text lines: Telegram refuses tel:
 * URLs in buttons, and apps make a number in text tappable anyway. The keyboard goes with the
 * last part of a long text, so the buttons stay under what they refer to.
 */
export function renderReply(
  reply: Reply,
  options: { quickExitLabel?: string; group: boolean },
): TelegramOutgoing[] {
  let text = reply.text;
  if (reply.phones && reply.phones.length > 0) {
    text = [text, ...reply.phones.map((p) => `☎️ ${p.label}: ${p.phone}`)].filter(Boolean).join('\n');
  }
  const keyboard: InlineButton[][] = [];
  for (const row of reply.buttons ?? []) {
    const rendered = row.map((b) => {
      if (Buffer.byteLength(b.payload) > MAX_CALLBACK_BYTES || b.payload.length === 0) {
        // The engine guarantees this; a reply we cannot render correctly must not go out half-broken.
        throw new ChannelApiError('TELEGRAM_CALLBACK_DATA', 'button payload is not 1-64 bytes', {
          permanent: true,
        });
      }
      return { text: b.label, callback_data: b.payload };
    });
    if (rendered.length > 0) keyboard.push(rendered);
  }
  for (const link of reply.links ?? []) keyboard.push([{ text: link.label, url: link.url }]);
  // Deleting messages in a group would remove other people's words; the button is private-only.
  if (reply.offersQuickExit && !options.group && options.quickExitLabel) {
    keyboard.push([{ text: options.quickExitLabel, callback_data: QUICK_EXIT_CALLBACK }]);
  }
  const parts = splitText(text.trim() === '' ? '…' : text, MAX_MESSAGE_LENGTH);
  const out: TelegramOutgoing[] = parts.map((part) => ({ text: part }));
  const last = out[out.length - 1];
  if (last && keyboard.length > 0) last.reply_markup = { inline_keyboard: keyboard };
  return out;
}

/**
 * Splits a text into parts of at most `max` characters, preferring paragraph breaks, then line
 * breaks, then spaces; a run with none of them is cut hard. Never cuts a surrogate pair.
 */
export function splitText(text: string, max = MAX_MESSAGE_LENGTH): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = lastBreak(window, '\n\n', max);
    if (cut <= 0) cut = lastBreak(window, '\n', max);
    if (cut <= 0) cut = lastBreak(window, ' ', max);
    if (cut <= 0) {
      cut = max;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    const head = rest.slice(0, cut).trimEnd();
    if (head) parts.push(head);
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.trim() || parts.length === 0) parts.push(rest);
  return parts;
}

function lastBreak(window: string, separator: string, max: number): number {
  const at = window.lastIndexOf(separator, max);
  return at;
}
