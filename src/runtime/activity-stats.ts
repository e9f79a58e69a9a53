import { lastLocalDays, localDay } from '../core/local-day.js';
import type { Locale } from '../core/locale.js';
import type { StatsStore } from '../ports/stats-store.js';

/** The dashboard's conversation figures: counts only, never who. */
export type ActivityStats = {
  /** One entry per day in the configured time zone, oldest first, days without checks included (total 0). */
  offersPerDay: Array<{ day: string; total: number; byLevel: Record<string, number> }>;
  /** Red flags raised most often over the same days (catalogue ids), most frequent first. */
  topFlags: Array<{ id: string; count: number; name?: Record<Locale, string> }>;
  lessons: { started: number; completed: number; allCompleted: number };
  offersReported: number;
  /** First and last day (configured time zone) these figures cover. */
  activityPeriod: { from: string; to: string };
};

const SAFE = /^[a-z0-9_-]{1,64}$/;
const SIMPLE_EVENTS = new Set([
  'lesson_started',
  'lesson_completed',
  'lessons_all_completed',
  'offer_reported',
]);

/**
 * The daily fields a count effect adds to, or none for events the dashboard does not show.
 * Label values come from the engine (levels, flag ids); anything else is refused so that no
 * free text can ever become a field name.
 */
export function statsFieldsFor(event: string, labels: Record<string, string> = {}): string[] {
  if (event === 'offer_checked') {
    const level = labels.level;
    return level && SAFE.test(level) ? ['offer_checked', `offer_checked:${level}`] : ['offer_checked'];
  }
  if (event === 'offer_flag') return labels.flag && SAFE.test(labels.flag) ? [`flag:${labels.flag}`] : [];
  return SIMPLE_EVENTS.has(event) ? [event] : [];
}

/** Adds one count effect to the counters of the day `now` falls on in `timeZone`. */
export async function recordCount(
  stats: StatsStore,
  at: { now: number; timeZone: string },
  event: string,
  labels?: Record<string, string>,
): Promise<void> {
  const day = localDay(at.now, at.timeZone);
  for (const field of statsFieldsFor(event, labels)) await stats.increment(day, field);
}

/** Reads and sums the counters of the last `days` days (30 by default) for the dashboard. */
export async function readActivityStats(
  stats: StatsStore,
  now: number,
  options: {
    /** Where a day starts and ends (the hotline's zone, TIME_ZONE). */
    timeZone: string;
    days?: number;
    topFlags?: number;
    /** The flag's name in each language (from the red-flag catalogue), for people to read. */
    flagName?: (id: string) => Record<Locale, string> | undefined;
  },
): Promise<ActivityStats> {
  const days = lastLocalDays(now, options.days ?? 30, options.timeZone);
  const counters = await stats.read(days);
  const flags = new Map<string, number>();
  const lessons = { started: 0, completed: 0, allCompleted: 0 };
  let offersReported = 0;
  const offersPerDay = days.map((day) => {
    const fields = counters[day] ?? {};
    const byLevel: Record<string, number> = {};
    for (const [field, value] of Object.entries(fields)) {
      if (field.startsWith('offer_checked:')) byLevel[field.slice('offer_checked:'.length)] = value;
      else if (field.startsWith('flag:')) {
        const id = field.slice('flag:'.length);
        flags.set(id, (flags.get(id) ?? 0) + value);
      }
    }
    lessons.started += fields.lesson_started ?? 0;
    lessons.completed += fields.lesson_completed ?? 0;
    lessons.allCompleted += fields.lessons_all_completed ?? 0;
    offersReported += fields.offer_reported ?? 0;
    return { day, total: fields.offer_checked ?? 0, byLevel };
  });
  const topFlags = [...flags]
    .map(([id, count]) => ({ id, count }))
    .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id))
    .slice(0, options.topFlags ?? 10)
    .map((flag) => {
      const name = options.flagName?.(flag.id);
      return name ? { ...flag, name } : flag;
    });
  return {
    offersPerDay,
    topFlags,
    lessons,
    offersReported,
    activityPeriod: {
      from: days[0] ?? localDay(now, options.timeZone),
      to: days[days.length - 1] ?? localDay(now, options.timeZone),
    },
  };
}
