import { type Case, type CaseSummary, levelRank } from './case.js';

// Scores stay exact doubles: 2e13 + epoch ms (~1.8e12) is far below 2^53.
const LEVEL_BAND = 1e13;

/**
 * Sort key of a case in the queue: the most urgent level first, then the oldest first. One number
 * so that a Redis sorted set keeps the order without reading the cases.
 */
export function queueScore(c: Pick<Case, 'level' | 'createdAt'>): number {
  return (2 - levelRank(c.level)) * LEVEL_BAND + c.createdAt;
}

/** Comparator for the queue order (imminent > high > concern, then oldest first, then id). */
export function compareQueue(a: CaseSummary, b: CaseSummary): number {
  return queueScore(a) - queueScore(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
