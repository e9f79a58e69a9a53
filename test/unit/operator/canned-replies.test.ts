import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCannedReplies } from '../../../src/content/canned-replies.js';
import { projectRoot } from '../../../src/content/content-root.js';

const dirs: string[] = [];

/** A copy of the two canned-reply files in a scratch project root, to break on purpose. */
function scratch(): string {
  const root = mkdtempSync(join(tmpdir(), 'canned-'));
  dirs.push(root);
  for (const lang of ['vi', 'en']) {
    cpSync(
      join(projectRoot(), 'content', lang, 'canned-replies.yaml'),
      join(root, 'content', lang, 'canned-replies.yaml'),
    );
  }
  return root;
}

function edit(root: string, lang: string, change: (text: string) => string): void {
  const file = join(root, 'content', lang, 'canned-replies.yaml');
  writeFileSync(file, change(readFileSync(file, 'utf8')));
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('canned replies', () => {
  it('loads both languages with the same ids, the hotline numbers and their sources', () => {
    const replies = loadCannedReplies(projectRoot());
    expect(replies.vi.map((r) => r.id)).toEqual(replies.en.map((r) => r.id));
    for (const lang of ['vi', 'en'] as const) {
      const all = replies[lang].map((r) => r.text).join('\n');
      for (const number of ['111', '113', '+84 981 84 84 84']) expect(all).toContain(number);
      for (const reply of replies[lang])
        if (/\d{3}/.test(reply.text)) expect(reply.sources?.length).toBeGreaterThan(0);
      // The old child helpline must never be offered as current.
      expect(all).not.toContain('1800 1567');
    }
  });

  it('refuses a reply that gives a number without a source', () => {
    const root = scratch();
    edit(root, 'en', (t) => t.replace('Take your time, there is no hurry.', 'Call 0123 456 789.'));
    expect(() => loadCannedReplies(root)).toThrow(/we_are_here: gives a number without sources/);
  });

  it('refuses languages that list different replies', () => {
    const root = scratch();
    edit(root, 'vi', (t) => t.replace('id: where_are_you', 'id: where_now'));
    expect(() => loadCannedReplies(root)).toThrow(/vi and en differ/);
  });

  it('names the file and the field when a reply is malformed', () => {
    const root = scratch();
    edit(root, 'en', (t) => t.replace('label: Are you safe to talk now?', 'label: ""'));
    expect(() => loadCannedReplies(root)).toThrow(/content\/en\/canned-replies.yaml: replies.0.label/);
  });
});
