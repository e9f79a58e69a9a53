import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprint, MATCH_THRESHOLD } from '../../src/core/offers/fingerprint.js';
import type { OfferMemory, RecordOfferInput } from '../../src/ports/offer-memory.js';
import { type Backend, backends } from './store-backends.js';

const LURE =
  'TUYỂN GẤP 20 bạn nam nữ 18-30 tuổi đi làm nhân viên chăm sóc khách hàng tại Campuchia. Lương cứng 25 triệu/tháng, thưởng doanh số. Bao vé máy bay, bao ăn ở. Không cần kinh nghiệm.';
const EDIT =
  '🔥 TUYỂN GẤP 20 bạn nam nữ 18-30 tuổi đi làm nhân viên chăm sóc khách hàng tại Campuchia. Thu nhập 30 triệu/tháng, thưởng doanh số. Bao vé máy bay, bao ăn ở. Không cần kinh nghiệm.';
const OTHER =
  'Việc làm thêm tại nhà: làm nhiệm vụ like đơn hàng trên Shopee, mỗi đơn hoa hồng 15%, nạp trước đơn đầu tiên 200k để kích hoạt tài khoản, rút tiền ngay trong ngày.';

function input(text: string, over: Partial<RecordOfferInput> = {}): RecordOfferInput {
  const fp = fingerprint(text);
  if (!fp) throw new Error('too short');
  return {
    signature: fp.signature,
    bands: fp.bands,
    level: 'medium',
    flagIds: ['risky_destination'],
    contacts: [],
    forwarder: 'f1',
    at: 1_000,
    day: '2026-11-28',
    ...over,
  };
}

describe.each(backends)('offer memory contract: $name', ({ open }) => {
  let backend: Backend;
  let memory: OfferMemory;
  beforeEach(() => {
    backend = open();
    memory = backend.offerMemory();
  });
  afterEach(async () => {
    await backend.close();
  });

  it('puts a small edit in the same cluster and a different offer in another', async () => {
    const a = await memory.record(input(LURE, { at: 1_000 }), MATCH_THRESHOLD);
    const b = await memory.record(
      input(EDIT, { at: 5_000, level: 'high', flagIds: ['risky_destination', 'no_experience_high_pay'] }),
      MATCH_THRESHOLD,
    );
    const c = await memory.record(input(OTHER, { at: 6_000 }), MATCH_THRESHOLD);
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.cluster).toMatchObject({
      id: a.cluster.id,
      count: 2,
      firstSeen: 1_000,
      lastSeen: 5_000,
      level: 'high',
    });
    expect(b.cluster.topFlags[0]).toBe('risky_destination');
    expect(c.created).toBe(true);
    expect(c.cluster.id).not.toBe(a.cluster.id);
    const fp = fingerprint(EDIT);
    expect((await memory.findCluster(fp!.signature, fp!.bands, MATCH_THRESHOLD))?.id).toBe(a.cluster.id);
    expect((await memory.topClusters(5)).map((x) => [x.id, x.count])).toEqual([
      [a.cluster.id, 2],
      [c.cluster.id, 1],
    ]);
  });

  it('counts contacts with first-seen time, clusters and distinct forwarders per day', async () => {
    const k = { id: 'h0123456789abcdef0123456789abcdef', kind: 'phone' as const };
    await memory.record(input(LURE, { contacts: [k], forwarder: 'u1', at: 100 }), MATCH_THRESHOLD);
    await memory.record(input(LURE, { contacts: [k], forwarder: 'u1', at: 200 }), MATCH_THRESHOLD);
    const r = await memory.record(input(OTHER, { contacts: [k], forwarder: 'u2', at: 300 }), MATCH_THRESHOLD);
    expect(r.contacts[0]?.forwardsToday).toBe(2);
    expect(r.contacts[0]?.record).toMatchObject({ id: k.id, kind: 'phone', firstSeen: 100, count: 3 });
    expect(r.contacts[0]?.record.clusters).toHaveLength(2);
    const next = await memory.record(
      input(OTHER, { contacts: [k], forwarder: 'u3', day: '2026-11-29' }),
      MATCH_THRESHOLD,
    );
    expect(next.contacts[0]?.forwardsToday).toBe(1);
    expect((await memory.topContacts(1))[0]?.id).toBe(k.id);
    expect(await memory.markAlerted(k.id, '2026-11-28')).toBe(true);
    expect(await memory.markAlerted(k.id, '2026-11-28')).toBe(false);
    expect(await memory.markAlerted(k.id, '2026-11-29')).toBe(true);
  });

  it('keeps labels with who and when', async () => {
    expect(await memory.getLabel('c0000000000000001')).toBeUndefined();
    await memory.setLabel('c0000000000000001', 'scam', 'op:lan', 42);
    await memory.setLabel('c0000000000000001', 'trafficking_risk', 'op:minh', 43);
    expect(await memory.getLabel('c0000000000000001')).toEqual({
      label: 'trafficking_risk',
      by: 'op:minh',
      at: 43,
    });
  });

  it('hands subscribers out once and forgets them', async () => {
    const s = { channel: 'telegram' as const, userId: '1001', chatId: '1001', locale: 'vi' };
    await memory.subscribe('c0000000000000001', s);
    await memory.subscribe('c0000000000000001', s);
    await memory.subscribe('c0000000000000001', { ...s, channel: 'zalo', userId: '77', chatId: '77' });
    const taken = await memory.takeSubscribers('c0000000000000001');
    expect(taken).toHaveLength(2);
    expect(taken).toContainEqual(s);
    expect(await memory.takeSubscribers('c0000000000000001')).toEqual([]);
  });

  it('forgets every subscription of a user who asks to be forgotten, and no one else', async () => {
    const s = { channel: 'telegram' as const, userId: '1001', chatId: '1001', locale: 'vi' };
    const other = { ...s, userId: '2002', chatId: '2002' };
    await memory.subscribe('c0000000000000001', s);
    await memory.subscribe('c0000000000000002', s);
    await memory.subscribe('c0000000000000002', other);
    await memory.forgetSubscriber('telegram', '1001');
    expect(await memory.takeSubscribers('c0000000000000001')).toEqual([]);
    expect(await memory.takeSubscribers('c0000000000000002')).toEqual([other]);
  });
});
