import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCannedReplies } from '../../src/content/canned-replies.js';
import { projectRoot } from '../../src/content/content-root.js';
import { launchChromium } from '../support/browser.js';
import { type ConsoleServer, startConsoleServer } from '../support/console-server.js';
import { eventually } from '../support/test-server.js';
import { WebchatClient } from '../support/webchat-client.js';

const SHOTS = join(projectRoot(), 'test-output', 'screenshots');
const DISTRESS = 'em bị đánh vì không đủ chỉ tiêu, họ giữ hộ chiếu của em ở Campuchia';
const OFFER =
  'TUYỂN GẤP 20 bạn nam nữ 18-30 tuổi đi làm nhân viên chăm sóc khách hàng tại Campuchia. Lương cứng 25 triệu/tháng, bao vé máy bay, bao ăn ở. Không cần kinh nghiệm, không cần tiếng Anh.';

let srv: ConsoleServer;
let browser: Browser;
const secrets: Record<string, string> = {};
const contexts: BrowserContext[] = [];
/** Console messages about a blocked resource or script: the page must run under its own policy. */
const violations: string[] = [];

/** What the page functions below touch of the browser (this project compiles without the DOM lib). */
type PageGlobals = { sessionStorage: { getItem(key: string): string | null } };
type CannedList = { replies: Array<{ id: string }> };

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  srv = await startConsoleServer();
  secrets.an = await srv.account('an', 'operator');
  secrets.binh = await srv.account('binh', 'operator');
  secrets.chi = await srv.account('chi', 'supervisor');
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await srv?.close();
}, 60_000);

/** A fresh browser profile (its own cookies and storage), in the given interface language. */
async function newPage(locale = 'vi-VN', viewport = { width: 1280, height: 860 }): Promise<Page> {
  const context = await browser.newContext({ locale, viewport });
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
  // Nothing may leave for another host: no CDN, no fonts, no analytics.
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(srv.url) && !url.startsWith('data:') && !url.startsWith('blob:'))
      throw new Error(`request to another host: ${url}`);
  });
  return page;
}

async function login(page: Page, name: string, secret: string): Promise<void> {
  await page.goto(`${srv.url}/console`);
  await page.locator('#login-name').fill(name);
  await page.locator('#login-secret').fill(secret);
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('#view-queue').waitFor({ state: 'visible' });
  // Live updates flow once the page's stream is open and this process receives events.
  await expect
    .poll(() => page.evaluate<string | undefined>('document.body.dataset.live'), { timeout: 10_000 })
    .toBe('on');
  await srv.ts.server.container.events.subscribed();
}

describe('operator console in headless Chromium', { timeout: 60_000 }, () => {
  it('serves the page with a strict CSP and the other security headers, all from this origin', async () => {
    const res = await fetch(`${srv.url}/console`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "connect-src 'self'",
      "img-src 'self' data:",
      "frame-ancestors 'none'",
    ])
      expect(csp).toContain(directive);
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBeTruthy();
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/https?:\/\//); // no third-party asset
    const js = await fetch(`${srv.url}/console/assets/console.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('refuses a wrong secret, on the page and in the API', async () => {
    const page = await newPage();
    await page.goto(`${srv.url}/console`);
    await page.getByLabel('Tên tài khoản').fill('an');
    await page.getByLabel('Mã bí mật').fill('not-the-secret');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect
      .poll(() => page.locator('#login-message').textContent())
      .toBe('Sai tên tài khoản hoặc mã bí mật.');
    expect(await page.locator('#view-queue').isHidden()).toBe(true);
    const res = await fetch(`${srv.url}/api/operator/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'binh', secret: 'wrong' }),
    });
    expect(res.status).toBe(401);
  });

  it('an operator sees a distress case arrive live, claims it, sends a canned reply that reaches the chat; a colleague sees it claimed; resolving empties the queue', async () => {
    const an = await newPage();
    await login(an, 'an', secrets.an as string);
    await expect.poll(() => an.locator('#queue-panel').textContent()).toContain('Không có ca nào.');
    const baseTitle = await an.title();
    expect(baseTitle).toBe('Bảng điều phối');

    // A person writes from the web chat.
    const chat = new WebchatClient(srv.url);
    await chat.open();
    // The safety reply, "a person was alerted" (after the case is stored), the first intake question.
    await chat.say({ text: DISTRESS, lang: 'vi' }, 3);
    const { case: opened } = await srv.caseForSession(chat.session);
    expect(['imminent', 'high']).toContain(opened.level);

    // It shows up without a reload, with a title badge.
    const row = an.locator(`tr[data-case="${opened.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await an.title()).toBe(`(1) ${baseTitle}`);
    expect(await an.evaluate<string | undefined>('document.body.dataset.alerts')).toBe('1'); // the tones were played
    expect(await row.locator('.badge.level').textContent()).toBe(
      opened.level === 'imminent' ? 'Nguy cấp' : 'Cao',
    );
    expect(await row.locator('.badge.sla').getAttribute('data-sla')).toBe('ok');
    expect(await row.textContent()).toContain('Web chat');
    await an.screenshot({ path: join(SHOTS, 'queue.png'), fullPage: true });

    // Claim it and answer with a canned reply, edited before sending.
    await row.getByRole('link', { name: `Mở ca ${opened.id}` }).click();
    await an.locator('#case-title').waitFor();
    expect(await an.title()).toBe(baseTitle);
    expect(await an.locator('.transcript .from-user .text').first().textContent()).toBe(DISTRESS);
    await an.getByRole('button', { name: 'Nhận ca' }).click();
    await expect.poll(() => an.locator('#case-assignee').textContent()).toBe('an');
    await an.getByLabel('Câu trả lời soạn sẵn').selectOption('hotline_111');
    await an.getByRole('button', { name: 'Chèn vào ô soạn' }).click();
    const canned = loadCannedReplies(projectRoot()).vi.find((r) => r.id === 'hotline_111')?.text ?? '';
    expect(await an.getByLabel('Tin nhắn gửi cho người dùng').inputValue()).toBe(canned);
    const edited = `${canned} Mình vẫn ở đây với bạn.`;
    await an.getByLabel('Tin nhắn gửi cho người dùng').fill(edited);
    const before = chat.replies.length;
    await an.getByRole('button', { name: 'Gửi', exact: true }).click();
    await expect
      .poll(
        () => chat.replies.slice(before).some((r) => r.from === 'operator' && r.text.endsWith(`\n${edited}`)),
        { timeout: 10_000 },
      )
      .toBe(true);
    await expect.poll(() => an.locator('.transcript .from-operator .text').last().textContent()).toBe(edited);
    expect(
      await an.locator('.transcript .from-operator .delivery').last().getAttribute('data-delivery'),
    ).toMatch(/queued|sent/);

    // An internal note stays in the console.
    await an.getByLabel('Ghi chú nội bộ mới').fill('Đã gửi số 111, chờ trả lời.');
    await an.getByRole('button', { name: 'Lưu ghi chú nội bộ' }).click();
    await expect.poll(() => an.locator('.note-list').textContent()).toContain('Đã gửi số 111, chờ trả lời.');
    expect(chat.replies.some((r) => r.text.includes('chờ trả lời'))).toBe(false);
    await an.screenshot({ path: join(SHOTS, 'case.png'), fullPage: true });

    // A colleague, in another browser profile, sees it claimed by "an" and cannot claim it.
    const binh = await newPage('en-GB');
    await login(binh, 'binh', secrets.binh as string);
    expect(await binh.locator(`tr[data-case="${opened.id}"]`).count()).toBe(0); // not waiting any more
    await binh.getByRole('tab', { name: 'All claimed' }).click();
    const claimedRow = binh.locator(`tr[data-case="${opened.id}"]`);
    await claimedRow.waitFor();
    expect(await claimedRow.locator('.assignee').textContent()).toBe('an');
    await binh.getByRole('tab', { name: 'My cases' }).click();
    expect(await binh.locator('#queue-panel').textContent()).toContain('No cases.');
    await binh.getByRole('tab', { name: 'All claimed' }).click();
    await claimedRow.getByRole('link').click();
    await binh.locator('#case-title').waitFor();
    expect(await binh.getByRole('button', { name: 'Claim' }).count()).toBe(0);
    expect(await binh.locator('#reply-text').isDisabled()).toBe(true);
    expect(await binh.locator('.actions').textContent()).toContain('Handled by an.');
    await binh.getByRole('link', { name: '← Back to the queue' }).click();
    await binh.getByRole('tab', { name: 'All claimed' }).click();
    await claimedRow.waitFor();

    // Resolving removes it from every queue, live on the colleague's screen too.
    await an.getByLabel('Kết quả').selectOption('advice_given');
    await an.getByRole('button', { name: 'Đóng ca' }).click();
    await an.locator('#view-queue').waitFor({ state: 'visible' });
    await expect.poll(() => an.locator(`tr[data-case="${opened.id}"]`).count()).toBe(0);
    await expect
      .poll(() => binh.locator(`tr[data-case="${opened.id}"]`).count(), { timeout: 10_000 })
      .toBe(0);
    const stored = await srv.ts.server.container.cases.get(opened.id);
    expect(stored?.state).toBe('resolved');
    expect(stored?.outcome).toBe('advice_given');
    chat.close();
  }, 60_000);

  it('orders the queue by level then waiting time, colours the SLA, flags discreet cases, warns when the user is unreachable', async () => {
    const { cases, events } = srv.ts.server.container;
    const now = Date.now();
    const open = async (
      userId: string,
      level: 'imminent' | 'high' | 'concern',
      ageSeconds: number,
      discreet = false,
    ) => {
      const { case: c } = await cases.createOrGetOpen(
        { level, channel: 'telegram', userId, chatId: userId, locale: 'en', discreet },
        now - ageSeconds * 1000,
      );
      return c;
    };
    // Targets (defaults): imminent 120 s, high 600 s, concern 3600 s; amber from half the target.
    const concern = await open('order-1', 'concern', 2000); // amber
    const imminent = await open('order-2', 'imminent', 300); // breached
    const high = await open('order-3', 'high', 10, true); // on time, discreet
    const page = await newPage('en-GB');
    await login(page, 'binh', secrets.binh as string);
    const rows = page.locator('#queue-panel tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-case')))).toEqual([
      imminent.id,
      high.id,
      concern.id,
    ]);
    const sla = (id: string) => page.locator(`tr[data-case="${id}"] .badge.sla`);
    expect(await sla(imminent.id).getAttribute('data-sla')).toBe('breached');
    expect(await sla(imminent.id).textContent()).toBe('Breached');
    expect(await sla(high.id).getAttribute('data-sla')).toBe('ok');
    expect(await sla(concern.id).getAttribute('data-sla')).toBe('amber');
    expect(await page.locator(`tr[data-case="${high.id}"]`).textContent()).toContain('Discreet');
    expect(await page.locator(`tr[data-case="${concern.id}"]`).textContent()).not.toContain('Discreet');
    // The waiting time counts on without a reload.
    const waited = page.locator(`tr[data-case="${high.id}"] td.waiting`);
    const first = await waited.textContent();
    await expect.poll(() => waited.textContent(), { timeout: 5000 }).not.toBe(first);

    // The arrow keys move between the tabs.
    await page.locator('#tab-waiting').focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('#tab-mine').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('#tab-waiting').getAttribute('aria-selected')).toBe('true');

    // A channel that can no longer reach the user, and a failed delivery, both show a warning.
    await page.locator(`tr[data-case="${imminent.id}"] a`).click();
    await page.locator('#case-title').waitFor();
    expect(await page.locator('#unreachable').count()).toBe(0);
    await cases.markUnreachable(imminent.id, 'bot_blocked', Date.now());
    await events.publish({ type: 'case_updated', caseId: imminent.id, level: 'imminent', at: Date.now() });
    await expect
      .poll(() => page.locator('#unreachable').textContent(), { timeout: 10_000 })
      .toContain('bot_blocked');
    await page.getByRole('link', { name: '← Back to the queue' }).click();
    await page.locator(`tr[data-case="${high.id}"] a`).click();
    await page.locator('#case-title').waitFor();
    expect(await page.locator('.banner.info').first().textContent()).toContain('discreet');
    const [entry] = await cases.appendTranscript(high.id, [
      {
        at: Date.now(),
        from: 'operator',
        author: 'an',
        text: 'Are you safe to talk now?',
        delivery: 'queued',
      },
    ]);
    await cases.setDelivery(high.id, entry?.id ?? '', 'failed', 'window_closed');
    await events.publish({ type: 'message', caseId: high.id, level: 'high', at: Date.now() });
    await expect.poll(() => page.locator('#unreachable').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('.delivery.failed').textContent()).toContain('window_closed');

    // Leave the queue as the next tests expect it: resolved by a supervisor.
    for (const c of [concern, imminent, high])
      await cases.resolve(c.id, undefined, 'no_response', Date.now());
  });

  it('opens the case an alert links to after logging in, and lets an operator close a waiting case', async () => {
    const { cases } = srv.ts.server.container;
    const { case: c } = await cases.createOrGetOpen(
      {
        level: 'concern',
        channel: 'zalo',
        userId: 'deep-link',
        chatId: 'deep-link',
        locale: 'vi',
        raisedByModel: 'concern',
      },
      Date.now(),
    );
    const page = await newPage('en-GB');
    await page.goto(`${srv.url}/console#case=${c.id}`);
    await page.locator('#login-name').fill('an');
    await page.locator('#login-secret').fill(secrets.an as string);
    await page.keyboard.press('Enter'); // the form works from the keyboard
    await page.locator('#case-title').waitFor();
    expect(await page.locator('#case-title').textContent()).toBe(`Case ${c.id}`);
    // The language model, not the rules, set this level: the operator is told so.
    expect(await page.locator('#raised-by-model').textContent()).toContain('Raised by AI model');
    expect(page.url()).toContain(`#/case/${c.id}`);
    await page.getByRole('button', { name: 'Resolve' }).click(); // no outcome chosen yet
    expect(await page.locator('#status').textContent()).toBe('Please choose an outcome before resolving.');
    expect((await cases.get(c.id))?.state).toBe('waiting');
    await page.getByLabel('Outcome').selectOption('not_trafficking');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.locator('#view-queue').waitFor({ state: 'visible' });
    expect((await cases.get(c.id))?.outcome).toBe('not_trafficking');
  });

  it('refuses a mutation without the CSRF token, and accepts it with the token', async () => {
    const page = await newPage();
    await login(page, 'binh', secrets.binh as string);
    const { case: c } = await srv.ts.server.container.cases.createOrGetOpen(
      { level: 'concern', channel: 'webchat', userId: 'csrf-user', chatId: 'csrf-user', locale: 'en' },
      Date.now(),
    );
    const statuses = await page.evaluate(async (id) => {
      const without = await fetch(`/api/operator/cases/${id}/claim`, { method: 'POST' });
      const wrong = await fetch(`/api/operator/cases/${id}/claim`, {
        method: 'POST',
        headers: { 'x-csrf-token': 'forged' },
      });
      const win = globalThis as unknown as PageGlobals;
      const token = win.sessionStorage.getItem('smb_console_csrf') ?? '';
      const right = await fetch(`/api/operator/cases/${id}/claim`, {
        method: 'POST',
        headers: { 'x-csrf-token': token },
      });
      return [without.status, wrong.status, right.status];
    }, c.id);
    expect(statuses).toEqual([403, 403, 200]);
  });

  it('tells the operator when the session ended and returns to the login page', async () => {
    const page = await newPage('en-GB');
    await login(page, 'an', secrets.an as string);
    await page.context().clearCookies();
    await page.getByRole('link', { name: 'Offer labels' }).click(); // fetches the offer clusters: 401
    await page.locator('#view-login').waitFor({ state: 'visible' });
    expect(await page.locator('#login-message').textContent()).toBe(
      'Your session ended, please log in again.',
    );
    expect(await page.evaluate<string | null>("sessionStorage.getItem('smb_console_csrf')")).toBeNull();
  });

  it('logs out, switches language, and mutes the alert across reloads', async () => {
    const page = await newPage('vi-VN', { width: 390, height: 844 }); // a phone screen
    await login(page, 'an', secrets.an as string);
    expect(await page.getByRole('heading', { level: 1 }).first().textContent()).toBe('Hàng chờ');
    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.locator('#queue-title').textContent()).toBe('Queue');
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('en');
    const mute = page.locator('#mute');
    expect(await mute.getAttribute('aria-pressed')).toBe('false');
    await mute.click();
    await page.reload();
    await page.locator('#view-queue').waitFor({ state: 'visible' }); // the cookie keeps the session
    expect(await page.locator('#mute').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#queue-title').textContent()).toBe('Queue');

    // Muted: a new urgent case still badges the title, but plays no sound.
    await expect
      .poll(() => page.evaluate<string | undefined>('document.body.dataset.live'), { timeout: 10_000 })
      .toBe('on');
    await srv.ts.server.container.events.subscribed();
    const { cases, events } = srv.ts.server.container;
    const { case: urgent } = await cases.createOrGetOpen(
      {
        level: 'high',
        channel: 'webchat',
        userId: 'muted-user',
        chatId: 'muted-user',
        locale: 'vi',
        discreet: true,
      },
      Date.now(),
    );
    await events.publish({ type: 'case_created', caseId: urgent.id, level: 'high', at: Date.now() });
    await page.locator(`tr[data-case="${urgent.id}"]`).waitFor({ timeout: 10_000 });
    expect(await page.title()).toBe('(1) Operator console');
    expect(await page.evaluate<string | undefined>('document.body.dataset.alerts')).toBeUndefined();
    await page.screenshot({ path: join(SHOTS, 'queue-phone.png'), fullPage: true });
    await cases.resolve(urgent.id, undefined, 'no_response', Date.now());

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.locator('#view-login').waitFor({ state: 'visible' });
    expect(await page.locator('#login-message').textContent()).toBe('You are logged out.');
    const me = await page.evaluate(() => fetch('/api/operator/me').then((r) => r.status));
    expect(me).toBe(401);
  });

  it('shows a supervisor the dashboard with charts and a CSV export, and the accounts page', async () => {
    const page = await newPage('en-GB');
    await login(page, 'chi', secrets.chi as string);
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.locator('#dashboard-title').waitFor();
    const total = Number(await page.locator('#kpi-total').textContent());
    expect(total).toBeGreaterThanOrEqual(2);
    expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('svg.chart').first().getAttribute('aria-label')).toContain('Cases per level');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const path = join(SHOTS, 'stats.csv');
    await download.saveAs(path);
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(path, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('section,key,value');
    expect(csv).toContain(`,total,${total}`);
    expect(csv).toContain('byOutcome,advice_given,1');
    await page.screenshot({ path: join(SHOTS, 'dashboard.png'), fullPage: true });

    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.locator('#account-form').waitFor();
    await page.locator('#account-name').fill('dung');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const secret = (await page.locator('#secret-once code').textContent()) ?? '';
    expect(secret.length).toBeGreaterThan(10);
    expect(await srv.ts.server.container.operators.verify('dung', secret)).not.toBeNull();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Disable account dung' }).click();
    await expect.poll(() => page.locator('tr[data-account="dung"]').textContent()).toContain('Disabled');
    expect((await srv.ts.server.container.operators.get('dung'))?.disabled).toBe(true);

    // An operator has no supervisor pages.
    const op = await newPage('en-GB');
    await login(op, 'an', secrets.an as string);
    expect(await op.getByRole('link', { name: 'Dashboard' }).isHidden()).toBe(true);
  });

  it('lists a cluster once an offer was checked in the web chat, lets a supervisor label it, and counts it on the dashboard', async () => {
    const chat = new WebchatClient(srv.url);
    await chat.open();
    await chat.say({ text: OFFER, lang: 'vi' }, 1);
    const { offerMemory } = srv.ts.server;
    const cluster = await eventually(async () => (await offerMemory.list(50)).clusters[0], 10_000);
    chat.close();

    const page = await newPage('en-GB');
    await login(page, 'chi', secrets.chi as string);
    await page.getByRole('link', { name: 'Offer labels' }).click();
    const row = page.locator(`tr[data-cluster="${cluster.id}"]`);
    await row.waitFor();
    await page.locator(`#label-${cluster.id}`).selectOption('scam');
    await row.getByRole('button', { name: 'Save label' }).click();
    await expect.poll(async () => (await offerMemory.getLabel(cluster.id))?.label).toBe('scam');
    await expect.poll(() => page.locator(`#label-${cluster.id}`).inputValue()).toBe('scam');
    const audit = await srv.ts.server.container.cases.readAudit('_offers', 10);
    expect(audit.some((e) => e.actor === 'chi' && e.action === 'offer_label')).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'offers.png'), fullPage: true });

    // An operator sees the label but has no form to change it.
    const op = await newPage('en-GB');
    await login(op, 'an', secrets.an as string);
    await op.getByRole('link', { name: 'Offer labels' }).click();
    const opRow = op.locator(`tr[data-cluster="${cluster.id}"]`);
    await opRow.waitFor();
    expect(await opRow.textContent()).toContain('Scam');
    expect(await opRow.locator('select').count()).toBe(0);

    // The dashboard now counts the check, its red flags, and lessons.
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.locator('#activity').waitFor();
    expect(Number(await page.locator('#kpi-offers').textContent())).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#kpi-lessons-started').textContent()).toMatch(/^\d+$/);
    const labels = await page
      .locator('#activity svg.chart')
      .evaluateAll((nodes) =>
        nodes.map((n) =>
          (n as unknown as { getAttribute(name: string): string | null }).getAttribute('aria-label'),
        ),
      );
    expect(labels.some((l) => l?.startsWith('Offers checked per day'))).toBe(true);
    expect(labels.some((l) => l?.startsWith('Most frequent red flags') && !l.includes('No data'))).toBe(true);
    // The table names each flag in full, from the catalogue, not by its id.
    const firstFlag = page.locator('#top-flags tbody tr').first();
    const flagId = await firstFlag.getAttribute('data-flag');
    expect(await firstFlag.locator('td').first().textContent()).not.toBe(flagId);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const path = join(SHOTS, 'stats-activity.csv');
    await download.saveAs(path);
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(path, 'utf8');
    expect(csv).toMatch(/\noffersPerDay,\d{4}-\d{2}-\d{2}\.total,[1-9]/);
    expect(csv).toMatch(/\ntopFlags,[a-z_]+,[1-9]/);
    expect(csv).toContain('lessons,started,');
    await page.screenshot({ path: join(SHOTS, 'dashboard-activity.png'), fullPage: true });
  });

  it('serves canned replies in both languages, only to a signed-in operator', async () => {
    expect((await fetch(`${srv.url}/api/operator/canned-replies?lang=en`)).status).toBe(401);
    const page = await newPage();
    await login(page, 'an', secrets.an as string);
    const lists = await page.evaluate(async () => {
      const vi = (await fetch('/api/operator/canned-replies?lang=vi').then((r) => r.json())) as CannedList;
      const en = (await fetch('/api/operator/canned-replies?lang=en').then((r) => r.json())) as CannedList;
      return { vi, en };
    });
    const ids = (l: CannedList) => l.replies.map((r) => r.id);
    expect(ids(lists.vi)).toEqual(ids(lists.en));
    expect(ids(lists.vi)).toEqual(
      expect.arrayContaining([
        'safe_to_talk',
        'where_are_you',
        'hotline_111',
        'citizen_protection',
        'we_are_here',
      ]),
    );
    const text = JSON.stringify(lists);
    for (const number of ['111', '113', '+84 981 84 84 84']) expect(text).toContain(number);
  });

  // Last on purpose: every page above ran under the console's Content-Security-Policy.
  it('ran every page above without a policy violation or a script error', () => {
    expect(violations).toEqual([]);
  });
});
