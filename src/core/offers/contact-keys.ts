/**
 * Contacts in an offer, normalised so that the same contact written two ways gives one key:
 * phone numbers in E.164 (+84 for Vietnamese numbers written with a leading 0), handles as
 * "platform:name", link domains lowercased. The values are personal data: callers hash them at
 * once and never store or log them.
 */
/** What kind of contact a key stands for. */
export type ContactKind = 'phone' | 'handle' | 'domain';

export type ContactValue = { kind: ContactKind; value: string };

const PHONE_RE = /(?<![\w+])(\+?\d(?:[\s.\-()]{0,2}\d){7,14})(?!\w)/g;
const HANDLE_RE = /(?<![\w.])@([a-z0-9_.]{3,32})/gi;
const LINK_RE = /\b(?:https?:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,})(\/[^\s"'<>),]*)?/gi;
/** Platforms whose domain says nothing: the account on them is the contact. */
const PLATFORM_PATH: Record<string, string> = {
  'zalo.me': 'zalo',
  'chat.zalo.me': 'zalo',
  't.me': 'telegram',
  'telegram.me': 'telegram',
  'facebook.com': 'facebook',
  'www.facebook.com': 'facebook',
  'm.facebook.com': 'facebook',
  'fb.com': 'facebook',
  'm.me': 'facebook',
  'tiktok.com': 'tiktok',
  'www.tiktok.com': 'tiktok',
};

/** A phone number in E.164, or undefined when it cannot be one. */
export function toE164(raw: string): string | undefined {
  const digits = raw.replace(/\D/g, '');
  const international = raw.trim().startsWith('+') ? digits : digits.startsWith('00') ? digits.slice(2) : '';
  if (international)
    return international.length >= 8 && international.length <= 15 ? `+${international}` : undefined;
  if (digits.startsWith('0')) {
    // Vietnamese national format: 0 + 9 digits (mobile) or 0 + 9-10 digits (landline).
    const rest = digits.slice(1);
    return rest.length >= 9 && rest.length <= 10 ? `+84${rest}` : undefined;
  }
  if (digits.startsWith('84') && digits.length >= 11 && digits.length <= 12) return `+${digits}`;
  // Anything else without a "+" is more likely an amount ("15.000.000") than a phone number.
  return undefined;
}

/** Every distinct contact in a text. */
export function extractContactValues(text: string): ContactValue[] {
  const out = new Map<string, ContactValue>();
  const add = (kind: ContactKind, value: string) => out.set(`${kind}:${value}`, { kind, value });
  const lower = text.normalize('NFC').toLowerCase();
  let rest = lower;
  for (const m of lower.matchAll(LINK_RE)) {
    const domain = m[1] as string;
    if (/^\d+(\.\d+)+$/.test(domain) || !/[a-z]/.test(domain.split('.').pop() ?? '')) continue;
    const path = (m[2] ?? '')
      .replace(/[.;:!?]+$/, '')
      .split(/[/?#]/)
      .filter(Boolean);
    const platform = PLATFORM_PATH[domain];
    if (platform) {
      const account =
        path[0] === 'groups' || path[0] === 'profile.php' ? path.slice(0, 2).join('/') : path[0];
      if (account) {
        const phone = platform === 'zalo' ? toE164(account) : undefined;
        if (phone) add('phone', phone);
        else add('handle', `${platform}:${account}`);
      }
    } else add('domain', domain.replace(/^www\./, ''));
    // Links are removed before phones are read, so digits in a path are not read twice.
    rest = rest.replace(m[0], ' ');
  }
  for (const m of rest.matchAll(HANDLE_RE)) add('handle', `@${(m[1] as string).replace(/\.+$/, '')}`);
  for (const m of rest.matchAll(PHONE_RE)) {
    const phone = toE164(m[1] as string);
    if (phone) add('phone', phone);
  }
  return [...out.values()];
}
