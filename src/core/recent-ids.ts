/**
 * Recent ids with the time each was seen, kept in one string field ("id.seconds" pairs, comma
 * separated: about 20 bytes per id). The Redis user store does the same add in a Lua script
 * (RedisUserStore.addRecentId): the two must stay in step.
 */
export type RecentId = [id: number, atSeconds: number];

/** Which entries an add keeps: those seen at or after `sinceSeconds`, the newest `max` of them. */
export interface RecentIdsKeep {
  sinceSeconds: number;
  max: number;
}

/** Adds `entry` to the stored list: an earlier entry of the same id and entries too old go. */
export function addRecentId(stored: string | null, entry: RecentId, keep: RecentIdsKeep): string {
  const [id] = entry;
  const entries = parseRecentIds(stored).filter(([known, at]) => at >= keep.sinceSeconds && known !== id);
  entries.push(entry);
  return serialiseRecentIds(entries.slice(-keep.max));
}

export function serialiseRecentIds(entries: RecentId[]): string {
  return entries.map(([id, at]) => `${id}.${at}`).join(',');
}

export function parseRecentIds(stored: string | null): RecentId[] {
  if (!stored) return [];
  const out: RecentId[] = [];
  for (const part of stored.split(',')) {
    const [id, at] = part.split('.').map(Number);
    if (Number.isSafeInteger(id) && Number.isSafeInteger(at)) out.push([id!, at!]);
  }
  return out;
}
