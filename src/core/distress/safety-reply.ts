import type { Locale } from '../locale.js';
import type { DistressResult } from './detect.js';
import type { HotlineEntry, HotlineTag, SafetyAudience, SafetyTexts } from './safety-content.js';

/** What to send at once when distress is detected. `hotlineIds` name the numbers listed, in order. */
export type SafetyReply = { text: string; hotlineIds: string[] };

export type SafetyReplyOptions = {
  locale: Locale;
  discreet: boolean;
  hotlines: HotlineEntry[];
  texts: SafetyTexts;
};

const CONFIDENCE_ORDER = { high: 0, medium: 1, low: 2 } as const;

/**
 * Who the reply speaks to. A parent writing about a child is spoken to as family (the child's
 * numbers are still chosen); a minor abroad first needs the numbers that work from abroad.
 */
export function safetyAudience(result: DistressResult): SafetyAudience {
  if (result.thirdPerson) return 'family';
  if (result.abroad) return 'abroad';
  if (result.minor) return 'minor';
  return 'unknown';
}

function pick(hotlines: HotlineEntry[], tag: HotlineTag, all = false): HotlineEntry[] {
  const found = hotlines
    .filter((h) => h.use_for.includes(tag))
    .sort((a, b) => CONFIDENCE_ORDER[a.confidence] - CONFIDENCE_ORDER[b.confidence]);
  return all ? found : found.slice(0, 1);
}

/**
 * Chooses the numbers that fit, in the order to call them. From abroad a Vietnamese short number
 * cannot be dialled, so a person abroad gets only the Foreign Ministry lines; in Vietnam, danger
 * right now puts the police first, otherwise the national hotline 111 comes first.
 */
export function chooseHotlines(result: DistressResult, hotlines: HotlineEntry[]): HotlineEntry[] {
  const audience = safetyAudience(result);
  const police = pick(hotlines, 'police');
  const national = pick(hotlines, 'trafficking').filter((h) => !h.use_for.includes('abroad'));
  const forMinors = pick(hotlines, 'minor');
  const consular = pick(hotlines, 'abroad');
  let chosen: HotlineEntry[];
  if (audience === 'abroad') {
    chosen = pick(hotlines, 'abroad', true);
  } else if (audience === 'minor') {
    chosen =
      result.level === 'imminent' && !result.thirdPerson
        ? [...police, ...forMinors]
        : [...forMinors, ...police];
    if (result.abroad) chosen.push(...consular);
  } else if (audience === 'family') {
    chosen = [...national, ...police];
    if (result.abroad) chosen.push(...consular);
  } else {
    chosen = result.level === 'imminent' ? [...police, ...national] : [...national, ...police];
  }
  const seen = new Set<string>();
  return chosen.filter((h) => !seen.has(h.id) && seen.add(h.id));
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/**
 * Composes the immediate safety reply from static content: a calm first line, one or two sentences
 * of what to do now, the numbers that fit, and the question whether a person may write here.
 * In discreet mode the reply looks like an ordinary note: a neutral first line, bare numbers.
 * Pure: the same inputs always give the same text.
 */
export function composeSafetyReply(result: DistressResult, opts: SafetyReplyOptions): SafetyReply {
  const chosen = chooseHotlines(result, opts.hotlines);
  const t = opts.texts;
  const audience = safetyAudience(result);
  const lines: string[] = [];
  if (opts.discreet) {
    lines.push(t.discreet.first_line, t.discreet.do_now);
    for (const h of chosen) lines.push(fill(t.discreet.hotline_line, { number: h.number }));
    lines.push(t.discreet.ask_contact);
  } else {
    lines.push(t.reply.intro[audience], t.reply.do_now[audience], '', t.reply.hotlines_header);
    for (const h of chosen)
      lines.push(fill(t.reply.hotline_line, { number: h.number, name: h.name, hours: h.hours }));
    lines.push('', t.reply.ask_contact);
  }
  return { text: lines.join('\n'), hotlineIds: chosen.map((h) => h.id) };
}

/** The hotline lines for follow-up messages (SLA breach): same choice and format as the safety reply. */
export function formatHotlineLines(
  result: DistressResult,
  opts: { discreet: boolean; hotlines: HotlineEntry[]; texts: SafetyTexts },
): string {
  return chooseHotlines(result, opts.hotlines)
    .map((h) =>
      opts.discreet
        ? fill(opts.texts.discreet.hotline_line, { number: h.number })
        : fill(opts.texts.reply.hotline_line, { number: h.number, name: h.name, hours: h.hours }),
    )
    .join('\n');
}
