import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TesseractReader } from '../../../src/adapters/ocr/tesseract-reader.js';
import { loadConfig } from '../../../src/config.js';
import { loadOfferContent } from '../../../src/content/offer-flags.js';
import { createOfferChecker } from '../../../src/core/offers/check.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createServer, type Server } from '../../../src/server.js';
import { FakePlatform } from '../../fakes/platform-recorder.js';
import { inbound } from '../../support/messages.js';

/** The text drawn into test/fixtures/ocr/offer-vi.png (see test/fixtures/README.md). */
const TYPED = [
  'TUYỂN GẤP 10 NỮ đi Campuchia',
  'làm nhân viên casino online',
  'lương 30 triệu/tháng, bao vé máy bay',
  'không cần kinh nghiệm',
  'đặt cọc 5 triệu giữ chỗ',
  'liên hệ Zalo 0912345678',
].join('\n');
const PNG = readFileSync('test/fixtures/ocr/offer-vi.png');
const TOKEN = '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ';

let files: HttpServer;
let filesUrl = '';
const platform = new FakePlatform();
let server: Server;

beforeAll(async () => {
  // Serves the picture by URL (Zalo attachments) and as a Telegram file (getFile + download).
  files = createHttpServer((req, res) => {
    if (req.url === '/offer.png' || req.url === `/file/bot${TOKEN}/photos/file_1.png`) {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length }).end(PNG);
    } else if (req.url?.startsWith(`/bot${TOKEN}/getFile`)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, result: { file_id: 'AgAD', file_path: 'photos/file_1.png' } }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  await platform.start();
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    HASH_SECRET: 'test-hash-secret-0123456789',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: 'secret',
    TELEGRAM_API_ROOT: filesUrl,
  });
  server = await createServer(config, createLogger('silent'), {
    adapters: [platform.adapter('telegram'), platform.adapter('zalo')],
    instanceId: 'pictures',
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await platform.stop();
  await new Promise<void>((r) => files.close(() => r()));
});

describe('offline OCR', () => {
  it('reads the Vietnamese picture so that the checker rates it like the typed text', async () => {
    const reader = new TesseractReader({ timeoutMs: 60_000 });
    try {
      const text = await reader.read(PNG);
      expect(text).toMatch(/Campuchia/);
      const content = await loadOfferContent('content');
      const checker = createOfferChecker(content.catalogue, content.rates);
      const typed = checker.check(TYPED, 'vi');
      const read = checker.check(text, 'vi');
      expect(typed.level).toBe('high');
      expect(read.level).toBe(typed.level);
      const typedFlags = typed.flags.map((f) => f.id);
      const readFlags = read.flags.map((f) => f.id);
      const shared = typedFlags.filter((f) => readFlags.includes(f));
      expect(shared.length / typedFlags.length).toBeGreaterThanOrEqual(0.8);
    } finally {
      await reader.close();
    }
  }, 60_000);
});

describe('pictures in the conversation', () => {
  async function send(
    channel: 'zalo' | 'telegram',
    attachment: { url?: string; ref?: string; size?: number },
  ) {
    const before = platform.sent.length;
    const user = { channel, id: `${channel}-pic` };
    await server.runtime.handleMessage(
      inbound('', {
        user,
        chat: { id: user.id, kind: 'private' },
        attachments: [{ kind: 'image', ...attachment }],
      }),
    );
    await server.drain();
    return platform.sent.slice(before).map((s) => s.text);
  }

  it('a Zalo image by URL: told it is being read, then what was read, then the normal check', async () => {
    const out = await send('zalo', { url: `${filesUrl}/offer.png` });
    expect(out[0]).toContain('Mình đang đọc chữ trong ảnh');
    expect(out[1]).toMatch(/^Mình đọc được từ ảnh của bạn: “TUY.N G.P 10 N. đi Campuchia/);
    expect(out.join('\n')).toContain('Mức nguy hiểm: CAO');
  }, 60_000);

  it('a Telegram photo by file id goes through getFile', async () => {
    const out = await send('telegram', { ref: 'AgAD' });
    expect(out.join('\n')).toContain('Mức nguy hiểm: CAO');
  }, 60_000);

  it('a picture over the size limit is not read', async () => {
    const out = await send('zalo', { url: `${filesUrl}/offer.png`, size: 50 * 1024 * 1024 });
    expect(out.at(-1)).toContain('Ảnh này lớn quá');
  }, 60_000);

  it('a picture that cannot be fetched gets the "type it instead" answer', async () => {
    const out = await send('zalo', { url: `${filesUrl}/missing.png` });
    expect(out.at(-1)).toContain('Mình chưa đọc được chữ trong ảnh này');
  }, 60_000);
});
