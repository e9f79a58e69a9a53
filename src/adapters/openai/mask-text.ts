/**
 * What every text sent to a language model goes through first: contacts and names are replaced by
 * placeholders, so a phone number, a link, a handle or a name never leaves for a third party.
 */

const PHONE = /\+?\d(?:[\s.\-()]{0,2}\d){7,14}/g;
const LINK =
  /\b(?:https?:\/\/|www\.)\S+|\b(?:[a-z0-9-]+\.)+(?:com|vn|net|org|me|ly|io|info|xyz|top|cc|co|link|site|online)(?:\/\S*)?/gi;
const HANDLE = /@[\p{L}\p{N}_.]{2,}/gu;
const NAME_AFTER_TITLE =
  /\b(anh|chị|chi|cô|co|chú|chu|bác|bac|ông|ong|bà|ba|em|mr\.?|mrs\.?|ms\.?|miss)\s+(\p{Lu}[\p{Ll}\p{M}]*(?:\s+\p{Lu}[\p{Ll}\p{M}]*){0,2})/gu;

/** The text with phone numbers, links, handles and names after a title replaced by placeholders. */
export function maskContacts(text: string): string {
  return text
    .normalize('NFC')
    .replace(LINK, '[LINK]')
    .replace(HANDLE, '[HANDLE]')
    .replace(PHONE, '[PHONE]')
    .replace(NAME_AFTER_TITLE, (_m, title: string) => `${title} [NAME]`);
}
