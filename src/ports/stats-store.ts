/** Anonymous daily counters: one bucket per day in the hotline's time zone (TIME_ZONE, "2026-11-28"), field name -> count. No ids of people. */
export interface StatsStore {
  /** Adds `by` (default 1) to one field of one day. */
  increment(day: string, field: string, by?: number): Promise<void>;
  /** The counters of the given days; a day with nothing counted maps to an empty object. */
  read(days: string[]): Promise<Record<string, Record<string, number>>>;
}

/** How long a day's counters are kept (a little over a year, for year-on-year comparison). */
export const STATS_RETENTION_DAYS = 400;
