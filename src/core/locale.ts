/** Languages the bot speaks. Vietnamese comes first: it is the default for every new user. */
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'vi';

export function isLocale(value: unknown): value is Locale {
  return value === 'vi' || value === 'en';
}

/** Maps a platform language hint ("vi", "en-US", "vi_VN") to a locale we speak, or undefined. */
export function localeFromHint(hint: string | undefined | null): Locale | undefined {
  if (!hint) return undefined;
  const lang = hint.toLowerCase().slice(0, 2);
  return isLocale(lang) ? lang : undefined;
}
