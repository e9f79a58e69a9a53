import { describe, expect, it } from 'vitest';
import { encodePayload } from '../../../src/core/engine/payload.js';
import { step } from '../../../src/core/engine/step.js';
import { realEngine, stepContext } from '../../support/engine.js';
import { inbound, press } from '../../support/messages.js';

const LURE =
  'Tuyển gấp 10 nữ đi Campuchia làm casino online, lương 30 triệu/tháng, bao vé máy bay, không cần kinh nghiệm, đặt cọc 5 triệu.';

describe('engine hooks for the offer memory', () => {
  it('a checked offer asks the runtime to remember it (text, level, flags), a non-offer does not', async () => {
    const ctx = stepContext(await realEngine());
    const checked = step(undefined, inbound(LURE), ctx);
    const remember = checked.effects.find((e) => e.type === 'remember_offer');
    expect(remember).toMatchObject({ type: 'remember_offer', text: LURE, level: 'high' });
    expect(remember && 'flagIds' in remember ? remember.flagIds.length : 0).toBeGreaterThan(0);
    const chat = step(checked.state, inbound('cảm ơn bạn'), ctx);
    expect(chat.effects.some((e) => e.type === 'remember_offer')).toBe(false);
  });

  it('the consent button becomes a subscribe effect for its cluster, and nothing is said by the engine', async () => {
    const ctx = stepContext(await realEngine());
    const first = step(undefined, inbound(LURE), ctx);
    const payload = encodePayload(first.state.session, {
      kind: 'action',
      action: 'subscribe_offer',
      arg: 'c0123456789abcdef',
    });
    const pressed = step(first.state, press(payload), ctx);
    expect(pressed.effects).toContainEqual({ type: 'subscribe_offer', clusterId: 'c0123456789abcdef' });
  });
});
