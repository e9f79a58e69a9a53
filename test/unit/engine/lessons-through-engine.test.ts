import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/content/content-root.js';
import { loadValidLessons } from '../../../src/content/lessons.js';
import type { StepContext } from '../../../src/core/engine/engine-types.js';
import { decodePayload } from '../../../src/core/engine/payload.js';
import type { ConversationState } from '../../../src/core/engine/state.js';
import { step } from '../../../src/core/engine/step.js';
import type { LessonCatalogue } from '../../../src/core/lessons/lesson-catalogue.js';
import { LOCALES, type Locale } from '../../../src/core/locale.js';
import type { Reply } from '../../../src/core/messages.js';
import { realEngine, stepContext } from '../../support/engine.js';
import { inbound, press } from '../../support/messages.js';

let ctx: StepContext;
let catalogue: LessonCatalogue;
beforeAll(async () => {
  ctx = stepContext(await realEngine());
  catalogue = loadValidLessons(join(projectRoot(), 'content'));
});

/** The payload of the lesson button whose id starts with `prefix` (e.g. "l.n." for next). */
function lessonButton(replies: Reply[], prefix: string): string | undefined {
  return replies
    .flatMap((r) => (r.buttons ?? []).flat())
    .map((b) => b.payload)
    .find((payload) => {
      const decoded = decodePayload(payload);
      return (
        decoded?.target.kind === 'action' &&
        decoded.target.action === 'lesson' &&
        decoded.target.arg?.startsWith(prefix)
      );
    });
}

function chat(locale: Locale) {
  let state: ConversationState | undefined;
  const send = (message: Parameters<typeof step>[1]) => {
    const result = step(state, message, ctx);
    state = result.state;
    return result.replies;
  };
  send(inbound(`/lang ${locale}`));
  return { send, state: () => state! };
}

describe('every lesson walked to the end through the engine, in both languages', () => {
  it.each(LOCALES)(
    '%s: age band once, every card, every question answered right, badge, progress, certificate',
    (locale) => {
      const c = chat(locale);
      const order = catalogue.locales[locale].index!.order;
      let certificateSeen = false;
      for (const [n, lessonId] of order.entries()) {
        const lesson = catalogue.locales[locale].lessons[lessonId]!;
        let replies = c.send(inbound(`/start lesson_${lessonId}`));
        if (n === 0) {
          // The age band is asked once, before the first lesson only.
          const age = lessonButton(replies, 'l.g.1');
          expect(age, 'age question').toBeDefined();
          replies = c.send(press(age!));
        } else {
          expect(lessonButton(replies, 'l.g.')).toBeUndefined();
        }
        for (let card = 0; card < lesson.cards.length; card++) {
          expect(replies.map((r) => r.text).join('\n')).toContain(lesson.cards[card]!.text.slice(0, 40));
          const next =
            card + 1 < lesson.cards.length
              ? lessonButton(replies, `l.n.${lessonId}.${card}`)
              : (lessonButton(replies, `l.q.${lessonId}`) ??
                lessonButton(replies, `l.n.${lessonId}.${card}`));
          expect(next, `${lessonId} card ${card}`).toBeDefined();
          replies = c.send(press(next!));
        }
        for (const question of lesson.questions) {
          const right = question.options.findIndex((o) => o.correct);
          const answer = lessonButton(replies, `l.a.${lessonId}.${question.id}.${right}`);
          expect(answer, `${lessonId} ${question.id}`).toBeDefined();
          replies = c.send(press(answer!));
          expect(replies[0]!.text).toContain(question.options[right]!.explanation!.slice(0, 30));
        }
        const text = replies.map((r) => r.text).join('\n');
        expect(text).toContain(catalogue.locales[locale].index!.badges[lessonId] ?? '🏅');
        expect(c.state().lessons?.d?.[lessonId]?.[0]).toBe(lesson.questions.length);
        if (text.includes(catalogue.locales[locale].index!.texts.certificate.split('\n')[0]!.slice(0, 15)))
          certificateSeen = true;
      }
      expect(Object.keys(c.state().lessons?.d ?? {})).toHaveLength(order.length);
      expect(certificateSeen).toBe(true);
      // Progress stays small enough for the per-user memory budget.
      expect(JSON.stringify(c.state()).length).toBeLessThan(1500);
    },
  );

  it('resumes a lesson where the user stopped, after leaving for the menu', () => {
    const c = chat('vi');
    let replies = c.send(inbound('/start lesson_debt'));
    replies = c.send(press(lessonButton(replies, 'l.g.2')!));
    replies = c.send(press(lessonButton(replies, 'l.n.debt.0')!));
    c.send(inbound('/menu'));
    expect(c.state().node).toBe('menu');
    const resumed = c.send(inbound('/learn'));
    const again = c.send(press(lessonButton(resumed, 'l.s.debt') ?? lessonButton(resumed, 'l.n.debt.1')!));
    const lesson = catalogue.locales.vi.lessons.debt!;
    expect([...resumed, ...again].map((r) => r.text).join('\n')).toContain(
      lesson.cards[1]!.text.slice(0, 40),
    );
  });
});
