import type { Locale } from '../locale.js';
import type { OfferFlagCatalogue } from './catalogue.js';
import type { OfferAssessment } from './check.js';
import type { OfferLevel } from './score.js';

/** The answer's wording in one locale: from content/{vi,en}/offer-answer.yaml. */
export type OfferAnswerText = {
  verdict: Record<OfferLevel, string>;
  labels: {
    flags_title: string;
    evidence: string;
    more_flags: string;
    notes_title: string;
    todo_title: string;
    questions_title: string;
    hotlines_title: string;
    why: string;
    advice: string;
    source: string;
  };
  todo: string[];
  questions: string[];
  licence_url: string;
  hotlines: { number: string; label: string; source: string }[];
  not_offer: string;
  no_flags: string;
  buttons: {
    explain_more: string;
    already_there: string;
    report: string;
    check_another: string;
    menu: string;
  };
};

export type OfferButtonId = 'explain_more' | 'already_there' | 'report' | 'check_another' | 'menu';

/** How many flags the short answer lists before pointing to "explain more". */
const SHORT_FLAGS = 3;
const MAX_EVIDENCE = 80;

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

function quote(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > MAX_EVIDENCE ? `${one.slice(0, MAX_EVIDENCE - 1)}…` : one;
}

/**
 * Turns an assessment into the user's answer: verdict in one line, top flags with the words that
 * raised them, what to do, questions to ask, hotlines. `long` gives the "explain more" form: every
 * flag with why it matters, advice and source, and every "still verify" note.
 */
export function explainOffer(
  a: OfferAssessment,
  catalogue: OfferFlagCatalogue,
  answers: Record<Locale, OfferAnswerText>,
  locale: Locale = a.locale,
  options: { long?: boolean } = {},
): string {
  const t = answers[locale];
  const cat = catalogue[locale];
  if (!a.isOffer) return `${t.verdict.none}\n${t.not_offer}`;
  const out: string[] = [t.verdict[a.level], ''];
  const shown = options.long ? a.flags : a.flags.slice(0, SHORT_FLAGS);
  if (a.flags.length === 0) out.push(t.no_flags, '');
  else {
    out.push(t.labels.flags_title);
    for (const f of shown) {
      const text = cat.flags.get(f.id);
      const name = text?.name ?? f.id;
      const evidence = f.evidence ? ` (${fill(t.labels.evidence, { evidence: quote(f.evidence) })})` : '';
      out.push(`• ${name}${evidence}`);
      if (options.long && text) {
        out.push(
          `  ${t.labels.why} ${text.why}`,
          `  ${t.labels.advice} ${text.advice}`,
          `  ${t.labels.source} ${text.source}`,
        );
      }
    }
    if (shown.length < a.flags.length)
      out.push(fill(t.labels.more_flags, { count: a.flags.length - shown.length }));
    out.push('');
  }
  if (a.notes.length && (options.long || a.level !== 'high')) {
    out.push(t.labels.notes_title);
    for (const n of a.notes) {
      const text = cat.notes.get(n.id);
      out.push(`• ${text?.name ?? n.id}: ${text?.text ?? ''}`);
      if (options.long && text) out.push(`  ${t.labels.source} ${text.source}`);
    }
    out.push('');
  }
  out.push(t.labels.todo_title);
  for (const line of t.todo) out.push(`• ${fill(line, { licence_url: t.licence_url })}`);
  out.push('', t.labels.questions_title);
  for (const q of options.long ? t.questions : t.questions.slice(0, 2)) out.push(`• ${q}`);
  out.push('', t.labels.hotlines_title);
  for (const h of t.hotlines) out.push(`• ${h.number}: ${h.label}`);
  return out.join('\n');
}

/** The buttons under the answer; not-offers get the menu and "check another". */
export function offerButtons(
  a: OfferAssessment,
  answers: Record<Locale, OfferAnswerText>,
  locale: Locale = a.locale,
): { id: OfferButtonId; label: string }[] {
  const b = answers[locale].buttons;
  if (!a.isOffer)
    return [
      { id: 'check_another', label: b.check_another },
      { id: 'menu', label: b.menu },
    ];
  return [
    { id: 'explain_more', label: b.explain_more },
    { id: 'already_there', label: b.already_there },
    { id: 'report', label: b.report },
    { id: 'check_another', label: b.check_another },
  ];
}
