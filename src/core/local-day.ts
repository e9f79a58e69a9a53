/**
 * Calendar days in the hotline's time zone. Daily figures are about the people the hotline serves:
 * a message at 06:30 in Hà Nội belongs to that Vietnamese day, not to the previous UTC day.
 * Pure: the caller passes the time (from the clock port) and the zone (from the config).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws RangeError for an unknown zone; the config checks the zone with isTimeZone first.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime knows the IANA zone name (e.g. "Asia/Ho_Chi_Minh", "UTC"). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The day ("2026-11-28") that the instant `ms` falls on in `timeZone`. */
export function localDay(ms: number, timeZone: string): string {
  const parts = formatterFor(timeZone).formatToParts(ms);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * The last `count` days in `timeZone` ending with the day of `now`, oldest first. Steps by calendar
 * day, not by 24 hours, so a zone with daylight saving never skips or repeats a day.
 */
export function lastLocalDays(now: number, count: number, timeZone: string): string[] {
  const [year, month, day] = localDay(now, timeZone).split('-').map(Number) as [number, number, number];
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    out.push(new Date(Date.UTC(year, month - 1, day - i)).toISOString().slice(0, 10));
  }
  return out;
}
