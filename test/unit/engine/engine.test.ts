import { beforeAll, describe, expect, it } from 'vitest';
import { GLOBAL_COMMANDS } from '../../../src/core/engine/commands.js';
import type { StepContext } from '../../../src/core/engine/engine-types.js';
import type { FlowDefinition } from '../../../src/core/engine/flow-schema.js';
import { decodePayload } from '../../../src/core/engine/payload.js';
import type { ConversationState } from '../../../src/core/engine/state.js';
import { step } from '../../../src/core/engine/step.js';
import type { Reply } from '../../../src/core/messages.js';
import type { EngineBundle } from '../../../src/runtime/engine-setup.js';
import { realEngine, stepContext } from '../../support/engine.js';
import { inbound, press } from '../../support/messages.js';

let engine: EngineBundle;
let main: FlowDefinition;
beforeAll(async () => {
  engine = await realEngine();
  main = engine.flows.get('main')!;
});

const allButtons = (replies: Reply[]) => replies.flatMap((r) => (r.buttons ?? []).flat());
const buttonLabelled = (replies: Reply[], label: string) => {
  const found = allButtons(replies).find((b) => b.label === label);
  if (!found)
    throw new Error(`no button "${label}" in ${JSON.stringify(allButtons(replies).map((b) => b.label))}`);
  return found;
};

/** Walks a conversation: each call is one message; returns the last step's output. */
function conversation(ctx: StepContext) {
  let state: ConversationState | undefined;
  return {
    send(message: Parameters<typeof step>[1]) {
      const result = step(state, message, ctx);
      state = result.state;
      return result;
    },
    get state() {
      return state!;
    },
  };
}

describe('flow engine on the real flows', () => {
  it('greets a first contact with what the bot is, that it is free and confidential, urgent numbers, and the menu', () => {
    const c = conversation(stepContext(engine));
    const { replies, state } = c.send(inbound('hi'));
    expect(state.node).toBe('welcome');
    expect(replies[0]!.text).toContain('Miễn phí và bảo mật');
    expect(replies[0]!.text).toContain('113');
    expect(replies[0]!.text).toContain('111');
    expect(allButtons(replies).map((b) => b.label)).toEqual([
      '🔎 Kiểm tra tin tuyển dụng',
      '📚 Học cách an toàn trên mạng',
      '🆘 Tôi hoặc người thân cần giúp ngay',
      '☎️ Số điện thoại hỗ trợ',
      '🌐 Ngôn ngữ / Language',
    ]);
  });

  it('uses the platform language hint for a new user', () => {
    const { replies, state } = step(
      undefined,
      inbound('hello', { localeHint: 'en-GB' }),
      stepContext(engine),
    );
    expect(state.locale).toBe('en');
    expect(replies[0]!.text).toContain('free and confidential');
  });

  it('reaches every node of the main flow from the start by buttons, commands or actions', () => {
    // The validator proves reachability statically; here we prove it by walking.
    const ctx = stepContext(engine);
    const reached = new Set<string>();
    const frontier: ConversationState[] = [step(undefined, inbound('/start'), ctx).state];
    const commands = GLOBAL_COMMANDS.filter((c) => c !== 'exit');
    while (frontier.length > 0 && reached.size < 50) {
      const state = frontier.pop()!;
      if (reached.has(state.node)) continue;
      reached.add(state.node);
      const node = main.nodes[state.node]!;
      node.buttons.forEach((_, index) => {
        const payload = `${state.session}:b:${state.node}:${index}`;
        const result = step(state, press(payload), ctx);
        frontier.push(result.state);
        // Opening a case is finished by the runtime, which then shows the first intake question.
        if (result.effects.some((e) => e.type === 'open_case'))
          frontier.push({ ...result.state, node: 'intake_safe' });
      });
      for (const command of commands) frontier.push(step(state, inbound(`/${command}`), ctx).state);
      frontier.push(
        step(state, inbound('Tuyển gấp nữ đi Campuchia làm CSKH lương 1500 USD bao vé máy bay'), ctx).state,
      );
    }
    expect([...reached].sort()).toEqual(Object.keys(main.nodes).sort());
  });

  it('every button of every node leads somewhere without an error reply', () => {
    const ctx = stepContext(engine);
    for (const [nodeId, node] of Object.entries(main.nodes)) {
      const state: ConversationState = { ...step(undefined, inbound('/start'), ctx).state, node: nodeId };
      node.buttons.forEach((button, index) => {
        const result = step(state, press(`${state.session}:b:${nodeId}:${index}`), ctx);
        expect(result.replies.length + result.effects.length, `${nodeId} button ${index}`).toBeGreaterThan(0);
        const texts = result.replies.map((r) => r.text).join('\n');
        expect(texts, `${nodeId} button ${index} (${button.label})`).not.toContain(
          ctx.texts.t('vi', 'engine.stale_button'),
        );
      });
    }
  });

  it.each([
    ['/menu', 'menu'],
    ['/help', 'help'],
    ['/hotlines', 'hotlines'],
    ['/lang', 'language'],
    ['/check', 'check_offer'],
    ['/forget', 'forget_confirm'],
    ['/human', 'help_now'],
    ['/learn', 'lesson'],
    ['menu', 'menu'],
    ['trợ giúp', 'help'],
    ['tro giup', 'help'],
  ])('global command %s works from a deep node (%s)', (text, node) => {
    const ctx = stepContext(engine);
    const c = conversation(ctx);
    c.send(inbound('/start'));
    c.send(press(`${c.state.session}:b:welcome:2`)); // help_now, a deep node
    expect(c.state.node).toBe('help_now');
    const { state, replies } = c.send(inbound(text));
    expect(state.node).toBe(node);
    expect(replies.length).toBeGreaterThan(0);
  });

  it('changes language with /lang en from anywhere and keeps it', () => {
    const c = conversation(stepContext(engine));
    c.send(inbound('/start'));
    const { replies, state } = c.send(inbound('/lang en'));
    expect(state.locale).toBe('en');
    expect(state.localeChosen).toBe(true);
    expect(replies[0]!.text).toBe('Switched to English.');
    expect(c.send(inbound('/menu')).replies[0]!.text).toBe('What would you like to do?');
  });

  it('quick exit asks the channel to delete the conversation and says one neutral line', () => {
    const c = conversation(stepContext(engine));
    c.send(inbound('/start'));
    const { replies, effects } = c.send(inbound('/exit'));
    expect(effects).toContainEqual({ type: 'quick_exit' });
    expect(replies.map((r) => r.text)).toEqual(['Cảm ơn bạn. Hẹn gặp lại.']);
  });

  it('forget me asks first, then erases', () => {
    const c = conversation(stepContext(engine));
    c.send(inbound('/start'));
    const confirm = c.send(inbound('/forget'));
    expect(confirm.effects).toEqual([]);
    const yes = buttonLabelled(confirm.replies, '🗑️ Xoá dữ liệu của tôi');
    const done = c.send(press(yes.payload));
    expect(done.effects).toContainEqual({ type: 'erase_user' });
  });

  it('answers a press on a button from an earlier conversation politely and keeps the state', () => {
    const c = conversation(stepContext(engine));
    const first = c.send(inbound('/start'));
    const oldButton = allButtons(first.replies)[0]!;
    c.send(inbound('/menu')); // a new session: old buttons are stale
    const before = c.state;
    const { replies, state } = c.send(press(oldButton.payload));
    expect(replies[0]!.text).toBe('Nút này thuộc tin nhắn cũ rồi. Bạn dùng các nút bên dưới nhé.');
    expect(state.node).toBe(before.node);
    expect(state.session).toBe(before.session);
    // and the buttons shown again are fresh ones that work
    const fresh = allButtons(replies)[0]!;
    expect(decodePayload(fresh.payload)?.session).toBe(before.session);
  });

  it('answers a forged or malformed payload like a stale one', () => {
    const c = conversation(stepContext(engine));
    c.send(inbound('/start'));
    for (const payload of [
      '',
      'x',
      `${c.state.session}:b:nowhere:0`,
      `${c.state.session}:b:welcome:99`,
      `${c.state.session}:a:no_such_action`,
      'a:b:c:d:e:f',
    ]) {
      const { replies } = c.send(press(payload));
      expect(replies[0]!.text, payload).toBe('Nút này thuộc tin nhắn cũ rồi. Bạn dùng các nút bên dưới nhé.');
    }
  });

  it('takes the user to the start when the flow version changed', () => {
    const ctx = stepContext(engine);
    const c = conversation(ctx);
    c.send(inbound('/start'));
    c.send(press(`${c.state.session}:b:welcome:2`));
    const newer = new Map(engine.flows);
    newer.set('main', { ...main, version: main.version + 1 });
    const result = step(c.state, inbound('some text'), { ...ctx, flows: newer });
    expect(result.replies[0]!.text).toBe(
      'Mình vừa được cập nhật, nên mình đưa bạn về đầu cuộc trò chuyện nhé.',
    );
    expect(result.state.flowVersion).toBe(main.version + 1);
    expect(result.state.node).toBe('welcome');
    expect(result.state.locale).toBe('vi');
  });

  it('takes the user to the start when their node no longer exists', () => {
    const ctx = stepContext(engine);
    const c = conversation(ctx);
    c.send(inbound('/start'));
    const result = step({ ...c.state, node: 'removed_node' }, inbound('hello'), ctx);
    expect(result.state.node).toBe('welcome');
  });

  it('never stays silent on unknown text, and offers to check it', () => {
    const c = conversation(stepContext(engine));
    c.send(inbound('/start'));
    c.send(inbound('/menu'));
    const { replies } = c.send(inbound('hôm nay trời đẹp quá'));
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain('Nếu đó là một tin tuyển dụng');
    expect(allButtons(replies).map((b) => b.label)).toContain('🔎 Kiểm tra tin tuyển dụng');
  });

  it('checks unknown text that is an offer without being asked', () => {
    const c = conversation(stepContext(engine));
    c.send(inbound('/start'));
    const { replies, state } = c.send(
      inbound(
        'Tuyển gấp 10 bạn nữ đi Campuchia làm CSKH, lương 1500 USD, bao vé máy bay, không cần kinh nghiệm',
      ),
    );
    expect(replies[0]!.text).toMatch(/CAO/);
    expect(state.node).toBe('offer_result');
    expect(state.lastOffer?.level).toBe('high');
  });

  it('sends a forwarded message straight to the offer check whatever the state', () => {
    const c = conversation(stepContext(engine));
    c.send(inbound('/start'));
    c.send(inbound('/learn'));
    const { state } = c.send(
      inbound('Việc nhẹ lương cao ở Campuchia 1000 đô/tháng, bao ăn ở, bao vé, cần đi gấp', {
        forwarded: { origin: 'hidden_user' },
      }),
    );
    expect(state.node).toBe('offer_result');
  });

  it('accepts a typed number as a press of that button (channels without buttons)', () => {
    const c = conversation(stepContext(engine));
    c.send(inbound('/start'));
    const { state } = c.send(inbound('4'));
    expect(state.node).toBe('hotlines');
  });

  it('opens a lesson from a deep link (/start lesson_<id>)', () => {
    const c = conversation(stepContext(engine));
    const { replies, state } = c.send(inbound('/start lesson_job_lure'));
    expect(state.node).toBe('lesson');
    expect(state.lessons?.c).toBe('job_lure');
    expect(replies.map((r) => r.text).join('\n')).toContain('Xin chào');
  });

  it('opening a case is an effect for the runtime, and no reply promises a person before the case is stored', () => {
    const c = conversation(stepContext(engine));
    c.send(inbound('/start'));
    c.send(press(`${c.state.session}:b:welcome:2`));
    const { effects, replies, state } = c.send(press(`${c.state.session}:b:help_now:0`));
    expect(effects).toContainEqual({ type: 'open_case', reason: 'user_request', who: 'self' });
    expect(replies.map((r) => r.text).join('\n')).not.toContain('Mình đã báo cho người của đường dây nóng');
    expect(state.node).toBe('case_open');
  });

  it('remembers handled message ids (for idempotent redelivery), keeping only the last few', () => {
    const c = conversation(stepContext(engine));
    for (let i = 0; i < 12; i++) c.send(inbound('/menu', { messageId: `id-${i}` }));
    expect(c.state.seen).toEqual(['id-4', 'id-5', 'id-6', 'id-7', 'id-8', 'id-9', 'id-10', 'id-11']);
  });

  it('keeps button payloads within Telegram’s 64 bytes everywhere', () => {
    const c = conversation(stepContext(engine));
    const payloads = [
      ...allButtons(c.send(inbound('/start')).replies),
      ...allButtons(c.send(inbound('/learn')).replies),
      ...allButtons(c.send(inbound('/hotlines')).replies),
    ].map((b) => b.payload);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(64);
  });
});
