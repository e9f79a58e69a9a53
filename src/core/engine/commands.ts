import type { InboundMessage } from '../messages.js';

/** Commands that work from anywhere in any flow. */
export const GLOBAL_COMMANDS = [
  'start',
  'menu',
  'help',
  'lang',
  'hotlines',
  'human',
  'exit',
  'forget',
  'learn',
  'quiz',
  'check',
  'discreet',
] as const;
export type GlobalCommand = (typeof GLOBAL_COMMANDS)[number];

export function isGlobalCommand(name: string): name is GlobalCommand {
  return (GLOBAL_COMMANDS as readonly string[]).includes(name);
}

// Words people type instead of slash commands, folded (no diacritics, lower case).
const WORDS: Record<string, GlobalCommand> = {
  menu: 'menu',
  'bat dau': 'start',
  start: 'start',
  help: 'help',
  'tro giup': 'help',
  'huong dan': 'help',
  exit: 'exit',
  thoat: 'exit',
  'thoat nhanh': 'exit',
  hotline: 'hotlines',
  hotlines: 'hotlines',
  'duong day nong': 'hotlines',
  'gap nguoi': 'human',
  'noi chuyen voi nguoi': 'human',
  'talk to a person': 'human',
  'tieng viet': 'lang',
  english: 'lang',
  'xoa du lieu': 'forget',
  'forget me': 'forget',
};

export function foldForCommand(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[.!?]+$/g, '')
    .trim();
}

/** The global command a message asks for, from a slash command or a typed keyword. */
export function commandOf(message: InboundMessage): { name: GlobalCommand; args: string } | undefined {
  if (message.command && isGlobalCommand(message.command.name)) {
    return { name: message.command.name, args: message.command.args.trim() };
  }
  const text = message.text.trim();
  if (text.length === 0 || text.length > 80) return undefined;
  const slash = text.match(/^\/([a-z]+)(?:@\w+)?(?:\s+(.*))?$/i);
  if (slash) {
    const name = slash[1]!.toLowerCase();
    return isGlobalCommand(name) ? { name, args: (slash[2] ?? '').trim() } : undefined;
  }
  if (text.length > 30) return undefined;
  const word = WORDS[foldForCommand(text)];
  if (!word) return undefined;
  if (word === 'lang') return { name: 'lang', args: foldForCommand(text) === 'english' ? 'en' : 'vi' };
  return { name: word, args: '' };
}
