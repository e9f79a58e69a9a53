import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { type AppProcess, startAppProcess } from '../support/process.js';

let app: AppProcess;
let browser: Browser;

beforeAll(async () => {
  // The same thing `npm start` runs: the built server on the embedded memory store, no tokens.
  app = await startAppProcess();
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  const code = await app?.stop('SIGTERM');
  expect(code).toBe(0); // a clean, graceful shutdown
});

describe('web chat page in headless Chromium', () => {
  it('shows the greeting and the menu, and a button press brings the next message', async () => {
    const page = await browser.newPage({ locale: 'vi-VN' });
    await page.goto(`${app.url}/chat`);
    await expect
      .poll(() => page.locator('.msg.bot').first().textContent(), { timeout: 10_000 })
      .toContain('Xin chào');
    const menu = page.getByRole('button', { name: '🔎 Kiểm tra tin tuyển dụng' });
    await menu.waitFor();
    expect(await page.getByRole('button', { name: '☎️ Số điện thoại hỗ trợ' }).count()).toBe(1);

    await menu.click();
    await expect
      .poll(() => page.locator('.msg.bot').last().textContent(), { timeout: 10_000 })
      .toContain('Bạn dán hoặc chuyển tiếp tin tuyển dụng');
    expect(await page.locator('.msg.user').last().textContent()).toBe('🔎 Kiểm tra tin tuyển dụng');
    await page.close();
  });

  it('checks an offer typed into the box, in English', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    await page.goto(`${app.url}/chat`);
    await expect.poll(() => page.locator('.msg.bot').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Tiếng Việt' }).waitFor(); // the toggle offers the other language
    await page
      .getByLabel('Message')
      .fill(
        'Easy job in Cambodia! 1200 USD a month, no experience needed, we pay your ticket. Contact on Telegram.',
      );
    await page.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => page.locator('.msg.bot', { hasText: 'HIGH' }).count(), { timeout: 10_000 })
      .toBe(1);
    await page.close();
  });
});
