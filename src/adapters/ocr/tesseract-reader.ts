import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import type { ImageReader } from '../../ports/image-reader.js';

const require = createRequire(import.meta.url);
const LANGS = ['vie', 'eng'] as const;

/**
 * Offline OCR with tesseract.js. The trained data comes from the npm packages
 * @tesseract.js-data/vie and @tesseract.js-data/eng (LSTM "best_int" models), the wasm core from
 * tesseract.js-core and the worker script from tesseract.js, all in node_modules: nothing is
 * downloaded at run time. tesseract.js takes one langPath for all languages, and the two packages
 * keep their files in different folders, so a temporary folder of symlinks joins them.
 * Recognition runs in tesseract's worker thread; a read that passes the time limit kills the
 * worker (a new one starts on the next read).
 */
export class TesseractReader implements ImageReader {
  private worker: Promise<Worker> | undefined;
  private langDir: string | undefined;

  constructor(private readonly options: { timeoutMs: number } = { timeoutMs: 20_000 }) {}

  private languageFolder(): string {
    if (this.langDir) return this.langDir;
    const dir = mkdtempSync(join(tmpdir(), 'smb-ocr-'));
    for (const lang of LANGS) {
      const pkg = dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
      symlinkSync(join(pkg, '4.0.0_best_int', `${lang}.traineddata.gz`), join(dir, `${lang}.traineddata.gz`));
    }
    this.langDir = dir;
    return dir;
  }

  private start(): Promise<Worker> {
    this.worker ??= createWorker([...LANGS], OEM.LSTM_ONLY, {
      langPath: this.languageFolder(),
      gzip: true,
      // Never write a cache next to the app, never read one: the data is in node_modules.
      cacheMethod: 'none',
      workerPath: require.resolve('tesseract.js/src/worker-script/node/index.js'),
      corePath: dirname(require.resolve('tesseract.js-core/package.json')),
    });
    return this.worker;
  }

  async read(image: Buffer): Promise<string> {
    const worker = await this.start();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('ocr timeout')), this.options.timeoutMs);
    });
    try {
      const result = await Promise.race([worker.recognize(image), timeout]);
      return result.data.text
        .replace(/[ \t]+/g, ' ')
        .replace(/\n{2,}/g, '\n')
        .trim();
    } catch (err) {
      // A stuck recognition would block every later picture: drop this worker.
      this.worker = undefined;
      await worker.terminate().catch(() => undefined);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await (await w).terminate().catch(() => undefined);
    if (this.langDir) rmSync(this.langDir, { recursive: true, force: true });
    this.langDir = undefined;
  }
}
