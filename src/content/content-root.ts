import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root (where flows/ and content/ live), found from this file so that the built
 * server (dist/src/...) and tsx (src/...) both find it, whatever the working directory.
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'flows')) && existsSync(join(dir, 'content'))) return dir;
    dir = resolve(dir, '..');
  }
  return process.cwd();
}
