import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/content/content-root.js';
import { validateProject } from '../../src/content/validate-project.js';

/** A copy of the real flows and content in a temporary folder, to break on purpose. */
function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smb-content-'));
  cpSync(join(projectRoot(), 'flows'), join(dir, 'flows'), { recursive: true });
  cpSync(join(projectRoot(), 'content'), join(dir, 'content'), { recursive: true });
  return dir;
}

function edit(file: string, change: (text: string) => string): void {
  writeFileSync(file, change(readFileSync(file, 'utf8')));
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('content and flow validator', () => {
  it('accepts the real project', async () => {
    expect(await validateProject(projectRoot())).toEqual([]);
  });

  it('names a key that exists in English but is missing in Vietnamese', async () => {
    dir = copyProject();
    edit(join(dir, 'content/vi/messages.yaml'), (t) => t.replace(/^ {2}fallback: \|-\n(?: {4}.*\n)+/m, ''));
    const problems = await validateProject(dir);
    expect(problems).toContain('content/vi/messages.yaml: missing key "engine.fallback" (present in en)');
  });

  it('names the file and node of a button that goes to a missing node', async () => {
    dir = copyProject();
    edit(join(dir, 'flows/main.yaml'), (t) =>
      t.replace(
        '{ label: offer.check_another, goto: check_offer }',
        '{ label: offer.check_another, goto: chek_offer }',
      ),
    );
    const problems = await validateProject(dir);
    expect(problems).toContain(
      'flows/main.yaml: node "offer_result" button 4: goes to missing node "chek_offer"',
    );
  });

  it('names an unknown action and a missing content key', async () => {
    dir = copyProject();
    edit(join(dir, 'flows/main.yaml'), (t) =>
      t
        .replace('on_enter: show_hotlines', 'on_enter: show_hotlinez')
        .replace('message: help.text', 'message: help.texts'),
    );
    const problems = await validateProject(dir);
    expect(problems).toContain(
      'flows/main.yaml: node "hotlines": on_enter names unknown action "show_hotlinez"',
    );
    expect(problems).toContain(
      'flows/main.yaml: node "help": content key "help.texts" is missing in vi or en',
    );
  });

  it('rejects a flow that breaks the schema, naming file and field', async () => {
    dir = copyProject();
    edit(join(dir, 'flows/main.yaml'), (t) => t.replace('schema: 1', 'schema: 2'));
    const problems = await validateProject(dir);
    expect(problems.some((p) => p.startsWith('flows/main.yaml: schema:'))).toBe(true);
  });

  it('reports a node nobody can reach', async () => {
    dir = copyProject();
    edit(join(dir, 'flows/main.yaml'), (t) => `${t}\n  orphan:\n    message: help.text\n`);
    const problems = await validateProject(dir);
    expect(problems).toContain(
      'flows/main.yaml: node "orphan": cannot be reached from the start, a command or a button',
    );
  });

  it('refuses a hotline without a source', async () => {
    dir = copyProject();
    edit(join(dir, 'content/en/hotlines.yaml'), (t) =>
      t.replace(/ {4}sources:\n(?: {6}- .*\n)+/, '    sources: []\n'),
    );
    const problems = await validateProject(dir);
    expect(problems.some((p) => p.includes('hotlines.yaml') && p.toLowerCase().includes('source'))).toBe(
      true,
    );
  });
});
