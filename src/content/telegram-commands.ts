import { join } from 'node:path';
import { z } from 'zod';
import type { Locale } from '../core/locale.js';
import { ContentError } from '../errors.js';
import { readYaml } from './yaml-file.js';

const schema = z.object({
  commands: z
    .array(
      z.object({
        command: z.string().regex(/^[a-z0-9_]{1,32}$/, 'must be 1-32 of a-z 0-9 _ (Telegram rule)'),
        description: z.string().min(1).max(256),
      }),
    )
    .min(1)
    .max(100),
});

/** The "/" menu Telegram shows, per language. */
export type TelegramCommandMenu = Record<Locale, Array<{ command: string; description: string }>>;

/** Reads content/{vi,en}/telegram.yaml; both languages must list the same commands. Throws ContentError. */
export function loadTelegramCommands(root: string): TelegramCommandMenu {
  const read = (locale: Locale) =>
    readYaml(join(root, 'content', locale, 'telegram.yaml'), schema, root).commands;
  const menu = { vi: read('vi'), en: read('en') };
  const names = (locale: Locale) => menu[locale].map((c) => c.command).join(',');
  if (names('vi') !== names('en')) {
    throw new ContentError(
      'content/*/telegram.yaml: vi and en must list the same commands in the same order',
    );
  }
  return menu;
}
