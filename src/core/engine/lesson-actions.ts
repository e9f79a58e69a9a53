import type { LessonCatalogue } from '../lessons/lesson-catalogue.js';
import { emptyProgress } from '../lessons/lesson-progress.js';
import {
  type LessonStep,
  type LessonView,
  pressLessonButton,
  runLessonAction,
} from '../lessons/lesson-runner.js';
import type { Reply, ReplyButton } from '../messages.js';
import type { Effect } from './effects.js';
import type { ActionHandler, ActionInput, ActionOutcome } from './engine-types.js';
import { encodePayload } from './payload.js';

// Lesson button ids use ':' (l:a:job_lure:q1:2); engine payloads use ':' between their parts.
const toArg = (buttonId: string) => buttonId.replaceAll(':', '.');
const fromArg = (arg: string) => arg.replaceAll('.', ':');

/** Lesson views become replies whose buttons come back to the `lesson` action. */
function toReplies(input: ActionInput, views: LessonView[]): Reply[] {
  const { state, ctx } = input;
  const replies = views.map((view): Reply => {
    const buttons: ReplyButton[][] = view.buttons.map((b) => [
      {
        label: b.labelText,
        payload: encodePayload(state.session, { kind: 'action', action: 'lesson', arg: toArg(b.id) }),
      },
    ]);
    return { text: view.text, buttons: buttons.length > 0 ? buttons : undefined, locale: state.locale };
  });
  // Every lesson screen keeps a way back to the main menu.
  const last = replies[replies.length - 1];
  if (last) {
    last.buttons = [
      ...(last.buttons ?? []),
      [
        {
          label: ctx.texts.t(state.locale, 'common.menu'),
          payload: encodePayload(state.session, { kind: 'command', command: 'menu' }),
        },
      ],
    ];
  }
  return replies;
}

function outcome(input: ActionInput, result: LessonStep): ActionOutcome {
  const effects: Effect[] = result.events.flatMap((event): Effect[] => {
    switch (event.type) {
      case 'lesson_started':
        return [{ type: 'count', event: 'lesson_started', labels: { lesson: event.lessonId } }];
      case 'lesson_completed':
        return [{ type: 'count', event: 'lesson_completed', labels: { lesson: event.lessonId } }];
      case 'certificate':
        return [{ type: 'count', event: 'lessons_all_completed' }];
      default:
        return [];
    }
  });
  return {
    state: { ...input.state, node: 'lesson', lessons: result.progress },
    replies: toReplies(input, result.views),
    effects,
  };
}

export function lessonActions(catalogue: LessonCatalogue): Record<string, ActionHandler> {
  return {
    /** The lesson list, or one lesson by id (deep link /start lesson_<id>, a menu button, an offer). */
    start_lesson: (input) => {
      const progress = input.state.lessons ?? emptyProgress();
      const action = input.arg ? { type: 'start' as const, lessonId: input.arg } : { type: 'menu' as const };
      return outcome(input, runLessonAction(catalogue, progress, action, input.locale, input.ctx.now));
    },

    /** A press on a lesson button (next, back, quiz answer, age band...). */
    lesson: (input) => {
      const progress = input.state.lessons ?? emptyProgress();
      const result = input.arg
        ? pressLessonButton(catalogue, progress, fromArg(input.arg), input.locale, input.ctx.now)
        : undefined;
      return outcome(
        input,
        result ?? runLessonAction(catalogue, progress, { type: 'menu' }, input.locale, input.ctx.now),
      );
    },

    /** One spaced-review question from finished lessons. */
    review_quiz: (input) => {
      const progress = input.state.lessons ?? emptyProgress();
      return outcome(
        input,
        runLessonAction(catalogue, progress, { type: 'review' }, input.locale, input.ctx.now),
      );
    },
  };
}

export const LESSON_ACTION_NODES: Record<string, readonly string[]> = {
  start_lesson: ['lesson'],
  lesson: ['lesson'],
  review_quiz: ['lesson'],
};
