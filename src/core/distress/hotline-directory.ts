import type { HotlineEntry } from './safety-content.js';

/** The hotlines menu: every number with who answers and when, as the directory in content says. */
export function formatHotlineDirectory(hotlines: HotlineEntry[], intro: string): string {
  const lines = hotlines.map((h) => {
    const note = h.note ? `\n  ${h.note}` : '';
    return `☎️ ${h.number}: ${h.name}\n  ${h.answered_by}\n  ${h.hours}${note}`;
  });
  return [intro, ...lines].join('\n');
}
