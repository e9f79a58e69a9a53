import { describe, expect, it } from 'vitest';
import { MemoryCaseStore } from '../../../src/adapters/memory/memory-case-store.js';
import { MemoryEventBus } from '../../../src/adapters/memory/memory-event-bus.js';
import { loadConfig } from '../../../src/config.js';
import type { NewCase } from '../../../src/core/cases/case.js';
import { createLogger } from '../../../src/observability/logger.js';
import { escalate, recordCaseMessage, recordDelivery } from '../../../src/operator/escalation.js';
import type { OperatorEvent } from '../../../src/ports/event-bus.js';
import { FakeClock } from '../../support/fake-clock.js';

function setup() {
  const config = loadConfig({ PUBLIC_BASE_URL: 'https://bot.example.org' });
  const cases = new MemoryCaseStore(config.operators.slaSeconds);
  const events = new MemoryEventBus();
  const seen: OperatorEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const alerts: string[] = [];
  const clock = new FakeClock();
  const deps = {
    cases,
    events,
    clock,
    config,
    logger: createLogger('silent'),
    alertOperators: async (t: string) => {
      alerts.push(t);
    },
  };
  return { deps, cases, seen, alerts, clock };
}

const input = (level: NewCase['level'], text: string, signals = ['confined']): NewCase => ({
  level,
  channel: 'webchat',
  userId: 's1',
  chatId: 's1',
  locale: 'vi',
  signals,
  transcript: [{ at: 0, from: 'user', text }],
});

describe('escalate', () => {
  it('opens a case, audits it, tells the consoles and alerts operators without personal details', async () => {
    const { deps, cases, seen, alerts } = setup();
    const result = await escalate(deps, input('high', 'họ giữ hộ chiếu của tôi'));
    expect(result.created).toBe(true);
    expect(await cases.get(result.case.id)).toMatchObject({ state: 'waiting', level: 'high' });
    expect(await cases.readAudit(result.case.id)).toEqual([
      expect.objectContaining({ actor: 'system', action: 'created', detail: 'level=high' }),
    ]);
    expect(seen.map((e) => e.type)).toEqual(['case_created']);
    expect(alerts).toEqual([
      `Ca mới / New case · HIGH · 0 min · https://bot.example.org/console#case=${result.case.id}`,
    ]);
    expect(alerts.join()).not.toContain('hộ chiếu');
  });

  it('gives a user who writes again the same case, raised and with the new message', async () => {
    const { deps, cases, seen, alerts, clock } = setup();
    const first = await escalate(deps, input('concern', 'ở đây như nhà tù'));
    clock.advance(60_000);
    const again = await escalate(deps, input('imminent', 'họ đánh tôi', ['violence']));
    expect(again).toMatchObject({ created: false, raised: true });
    expect(again.case.id).toBe(first.case.id);
    const stored = await cases.get(first.case.id);
    expect(stored?.level).toBe('imminent');
    expect(stored?.signals).toEqual(['confined', 'violence']);
    expect(stored?.transcript.map((e) => e.text)).toEqual(['ở đây như nhà tù', 'họ đánh tôi']);
    expect(seen.map((e) => e.type)).toEqual(['case_created', 'case_updated', 'message']);
    expect(alerts).toHaveLength(1);
  });

  it('records messages and delivery failures, marking a blocked user unreachable', async () => {
    const { deps, cases, seen } = setup();
    const { case: c } = await escalate(deps, input('high', 'help'));
    const entry = await recordCaseMessage(deps, c, {
      at: 1,
      from: 'operator',
      author: 'lan',
      text: 'hi',
      delivery: 'queued',
    });
    await recordDelivery(deps, c, entry!.id, 'failed', { reason: 'bot_blocked', permanent: true });
    const stored = await cases.get(c.id);
    expect(stored?.transcript.at(-1)).toMatchObject({ delivery: 'failed', failure: 'bot_blocked' });
    expect(stored?.unreachable).toBe('bot_blocked');
    expect(seen.filter((e) => e.type === 'message')).toHaveLength(2);
  });
});
