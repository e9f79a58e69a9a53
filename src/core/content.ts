import type { Locale } from './locale.js';

/** User-facing text in both languages, addressed by dotted keys ("menu.welcome"). */
export interface TextCatalogue {
  has(key: string): boolean;
  /** The text for `key` in `locale` with {placeholders} filled in. Throws for an unknown key. */
  t(locale: Locale, key: string, params?: Record<string, string | number>): string;
}

export function createTextCatalogue(texts: Record<Locale, Record<string, string>>): TextCatalogue {
  return {
    has: (key) => key in texts.vi && key in texts.en,
    t(locale, key, params) {
      const template = texts[locale][key] ?? texts.vi[key];
      if (template === undefined) throw new Error(`unknown content key ${key}`);
      if (!params) return template;
      return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
        name in params ? String(params[name]) : whole,
      );
    },
  };
}
