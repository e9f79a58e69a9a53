import { join } from 'node:path';
import { z } from 'zod';
import { createTextCatalogue, type TextCatalogue } from '../core/content.js';
import { LOCALES, type Locale } from '../core/locale.js';
import { ContentError } from '../errors.js';
import { readYaml } from './yaml-file.js';

type Tree = { [key: string]: string | Tree };
const treeSchema: z.ZodType<Tree> = z.lazy(() => z.record(z.string(), z.union([z.string(), treeSchema])));

function flatten(tree: Tree, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out[path] = value;
    else flatten(value, path, out);
  }
  return out;
}

/** Flattened messages.yaml of each locale, e.g. { vi: { "menu.text": "..." }, en: {...} }. */
export function loadMessageTexts(root: string): Record<Locale, Record<string, string>> {
  const texts = {} as Record<Locale, Record<string, string>>;
  for (const locale of LOCALES) {
    texts[locale] = flatten(readYaml(join(root, 'content', locale, 'messages.yaml'), treeSchema, root));
  }
  return texts;
}

/** Keys present in one language and not the other, as messages naming the file. */
export function compareLocales(texts: Record<Locale, Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const locale of LOCALES) {
    for (const other of LOCALES) {
      if (locale === other) continue;
      for (const key of Object.keys(texts[locale])) {
        if (!(key in texts[other]))
          problems.push(`content/${other}/messages.yaml: missing key "${key}" (present in ${locale})`);
      }
    }
  }
  for (const locale of LOCALES) {
    for (const [key, value] of Object.entries(texts[locale])) {
      if (value.trim() === '') problems.push(`content/${locale}/messages.yaml: key "${key}" is empty`);
    }
  }
  return problems;
}

export function loadTextCatalogue(
  root: string,
  extra?: Record<Locale, Record<string, string>>,
): TextCatalogue {
  const texts = loadMessageTexts(root);
  const problems = compareLocales(texts);
  if (problems.length > 0) throw new ContentError(problems.join('\n'));
  if (extra) for (const locale of LOCALES) Object.assign(texts[locale], extra[locale]);
  return createTextCatalogue(texts);
}
