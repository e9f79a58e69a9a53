import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { toChannelApiError } from '../../../src/adapters/telegram/telegram-errors.js';
import { QUICK_EXIT_CALLBACK } from '../../../src/adapters/telegram/telegram-mapping.js';
import { renderReply, splitText } from '../../../src/adapters/telegram/telegram-render.js';
import { ChannelApiError } from '../../../src/errors.js';

describe('splitText', () => {
  it('leaves a text within the limit alone', () => {
    expect(splitText('ngắn', 4096)).toEqual(['ngắn']);
    expect(splitText('x'.repeat(4096), 4096)).toEqual(['x'.repeat(4096)]);
  });

  it('splits at paragraph breaks first, keeping every paragraph whole', () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => `${i} ${'lời khuyên '.repeat(40)}`.trim());
    const text = paragraphs.join('\n\n');
    const parts = splitText(text, 1000);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(1000);
    expect(parts.join('\n\n')).toBe(text);
  });

  it('falls back to line breaks, then spaces, then a hard cut that keeps emoji whole', () => {
    const lines = Array.from({ length: 50 }, () => 'a'.repeat(30)).join('\n');
    const byLine = splitText(lines, 100);
    expect(byLine.every((p) => p.length <= 100 && !p.startsWith('\n'))).toBe(true);
    expect(byLine.join('\n')).toBe(lines);

    const words = Array.from({ length: 100 }, () => 'chữ').join(' ');
    expect(splitText(words, 50).join(' ')).toBe(words);

    const emoji = '😀'.repeat(100); // 200 UTF-16 units, no break anywhere
    const parts = splitText(emoji, 51);
    expect(parts.join('')).toBe(emoji);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(51);
      const last = part.charCodeAt(part.length - 1);
      const first = part.charCodeAt(0);
      expect(last >= 0xd800 && last <= 0xdbff).toBe(false); // no high surrogate left dangling
      expect(first >= 0xdc00 && first <= 0xdfff).toBe(false); // no low surrogate without its pair
    }
  });
});

describe('renderReply', () => {
  it('renders buttons as inline keyboard rows, links as URL buttons and phones as text lines', () => {
    const [only, ...rest] = renderReply(
      {
        text: 'Số điện thoại hỗ trợ',
        buttons: [[{ label: 'Menu', payload: 'sess:b:welcome:0' }]],
        links: [{ label: 'Nguồn', url: 'https://example.org' }],
        phones: [{ label: 'Tổng đài 111', phone: '111' }],
      },
      { group: false, quickExitLabel: 'Thoát nhanh' },
    );
    expect(rest).toEqual([]);
    expect(only!.text).toBe('Số điện thoại hỗ trợ\n☎️ Tổng đài 111: 111');
    expect(only!.reply_markup?.inline_keyboard).toEqual([
      [{ text: 'Menu', callback_data: 'sess:b:welcome:0' }],
      [{ text: 'Nguồn', url: 'https://example.org' }],
    ]);
    expect(JSON.stringify(only)).not.toContain('tel:');
  });

  it('adds the quick-exit button in private chats only', () => {
    const reply = { text: 'Bạn an toàn chứ?', offersQuickExit: true };
    const privateParts = renderReply(reply, { group: false, quickExitLabel: 'Thoát nhanh' });
    expect(privateParts[0]!.reply_markup?.inline_keyboard).toEqual([
      [{ text: 'Thoát nhanh', callback_data: QUICK_EXIT_CALLBACK }],
    ]);
    expect(
      renderReply(reply, { group: true, quickExitLabel: 'Thoát nhanh' })[0]!.reply_markup,
    ).toBeUndefined();
  });

  it('puts the keyboard under the last part of a long text', () => {
    const text = Array.from({ length: 10 }, () => 'đoạn văn '.repeat(100)).join('\n\n');
    const parts = renderReply(
      { text, buttons: [[{ label: 'Menu', payload: 's:c:menu' }]] },
      { group: false },
    );
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.slice(0, -1).every((p) => p.reply_markup === undefined)).toBe(true);
    expect(parts.at(-1)!.reply_markup).toBeDefined();
  });

  it('refuses a callback payload over 64 bytes as a permanent error', () => {
    const payload = 'đ'.repeat(33); // 66 bytes
    expect(() => renderReply({ text: 'x', buttons: [[{ label: 'x', payload }]] }, { group: false })).toThrow(
      ChannelApiError,
    );
  });
});

describe('toChannelApiError', () => {
  it('maps 429 to retry_after, 5xx and network errors to retryable, 400/403 to permanent', () => {
    const limited = toChannelApiError(
      new TelegramError({
        error_code: 429,
        description: 'Too Many Requests',
        parameters: { retry_after: 7 },
      }),
    );
    expect(limited).toMatchObject({ retryAfterMs: 7000, permanent: false, status: 429 });
    expect(
      toChannelApiError(new TelegramError({ error_code: 502, description: 'Bad Gateway' })).permanent,
    ).toBe(false);
    const network = toChannelApiError(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    );
    expect(network).toMatchObject({ code: 'TELEGRAM_NETWORK', permanent: false });
    const blocked = toChannelApiError(
      new TelegramError({ error_code: 403, description: 'Forbidden: bot was blocked by the user' }),
    );
    expect(blocked).toMatchObject({ code: 'TELEGRAM_BLOCKED', permanent: true });
    const kicked = toChannelApiError(
      new TelegramError({ error_code: 403, description: 'Forbidden: bot was kicked from the group chat' }),
    );
    expect(kicked).toMatchObject({ code: 'TELEGRAM_FORBIDDEN', permanent: true });
    const bad = toChannelApiError(
      new TelegramError({ error_code: 400, description: 'Bad Request: chat not found' }),
    );
    expect(bad).toMatchObject({ code: 'TELEGRAM_BAD_REQUEST', permanent: true });
    // The payload telegraf attaches (the user's text) must not travel along as the cause.
    expect(bad.cause).toBeUndefined();
  });
});
