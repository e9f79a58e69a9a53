import { describe, expect, it } from 'vitest';
import { loadTextCatalogue } from '../../../src/content/load-texts.js';
import { memoryReply } from '../../../src/runtime/offer-memory-effects.js';
import type { MemoryNote } from '../../../src/runtime/offer-memory-service.js';

const texts = loadTextCatalogue('.');
// 23:30 UTC on 31 December 2025 is 06:30 on 1 January 2026 in Vietnam.
const note: MemoryNote = {
  clusterId: 'c1',
  count: 3,
  firstSeen: Date.UTC(2025, 11, 31, 23, 30),
  label: undefined,
  contactLabels: [],
  contactsSeenBefore: 0,
  contactPriorCount: 0,
};

describe('memoryReply', () => {
  it('names the first day in the hotline’s time zone, in the person’s language', () => {
    const vi = memoryReply(note, 'high', texts, 'vi', 's1', 'Asia/Ho_Chi_Minh');
    expect(vi?.text).toContain('3 lần kể từ ngày 01/01/2026');
    const en = memoryReply(note, 'high', texts, 'en', 's1', 'Asia/Ho_Chi_Minh');
    expect(en?.text).toContain('3 times since 1 January 2026');
    const utc = memoryReply(note, 'high', texts, 'en', 's1', 'UTC');
    expect(utc?.text).toContain('since 31 December 2025');
  });
});
