import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOfferContent, loadOfferFlagCatalogue } from '../../../src/content/offer-flags.js';
import { createOfferChecker } from '../../../src/core/offers/check.js';
import { FLAG_IDS, NOTE_IDS } from '../../../src/core/offers/rules.js';
import { ContentError } from '../../../src/errors.js';

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'offer-content-'));
  tempDirs.push(dir);
  return dir;
}

async function copyContent(): Promise<string> {
  const dir = await tempDir();
  await cp('content', dir, { recursive: true });
  return dir;
}

afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('offer content', () => {
  it('has text for every flag and note in both languages, each with a source', async () => {
    const cat = await loadOfferFlagCatalogue('content');
    for (const loc of ['vi', 'en'] as const) {
      for (const id of FLAG_IDS) expect(cat[loc].flags.get(id)?.source).toMatch(/^https?:\/\//);
      for (const id of NOTE_IDS) expect(cat[loc].notes.get(id)?.source).toMatch(/^https?:\/\//);
    }
  });

  it('rejects a catalogue whose languages disagree on severity', async () => {
    const dir = await copyContent();
    const p = join(dir, 'en', 'offer-flags.yaml');
    const yaml = await readFile(p, 'utf8');
    await writeFile(
      p,
      yaml.replace('  - id: urgency\n    severity: low', '  - id: urgency\n    severity: high'),
    );
    await expect(loadOfferFlagCatalogue(dir)).rejects.toBeInstanceOf(ContentError);
  });

  it('refuses to build a checker when a flag has no text', async () => {
    const dir = await copyContent();
    for (const loc of ['vi', 'en']) {
      const p = join(dir, loc, 'offer-flags.yaml');
      const yaml = await readFile(p, 'utf8');
      await writeFile(p, yaml.replace(/ {2}- id: secrecy\n(?: {4}.*\n)+/, ''));
    }
    const content = await loadOfferContent(dir);
    expect(() => createOfferChecker(content.catalogue, content.rates)).toThrow(ContentError);
  });

  it('rejects a malformed file with a content error', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'vi'));
    await writeFile(join(dir, 'vi', 'offer-flags.yaml'), 'flags: [{id: x}]\n');
    await expect(loadOfferFlagCatalogue(dir)).rejects.toBeInstanceOf(ContentError);
  });
});
