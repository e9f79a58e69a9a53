import type { AgeBand } from './lesson-progress.js';
import { AGE_BANDS } from './lesson-progress.js';

/**
 * What a lesson button asks for. Button ids are short (`l:...`) because Telegram allows 64 bytes of
 * callback data and the engine adds a session id; ids carry the lesson and position so that a
 * stale press (an old message) is recognised instead of moving the user somewhere unexpected.
 */
export type LessonAction =
  | { type: 'menu' }
  | { type: 'start'; lessonId: string }
  | { type: 'next'; lessonId: string; cardIndex: number }
  | { type: 'back'; lessonId: string; cardIndex: number }
  | { type: 'quiz'; lessonId: string }
  | { type: 'answer'; lessonId: string; questionId: string; optionIndex: number }
  | { type: 'age'; band: AgeBand }
  | { type: 'review' }
  | { type: 'review_answer'; lessonId: string; questionId: string; optionIndex: number }
  | { type: 'not_now' };

export const LESSON_BUTTON_PREFIX = 'l:';

/** Encodes an action as a button id. */
export function lessonButtonId(action: LessonAction): string {
  switch (action.type) {
    case 'menu':
      return 'l:m';
    case 'start':
      return `l:s:${action.lessonId}`;
    case 'next':
      return `l:n:${action.lessonId}:${action.cardIndex}`;
    case 'back':
      return `l:b:${action.lessonId}:${action.cardIndex}`;
    case 'quiz':
      return `l:q:${action.lessonId}`;
    case 'answer':
      return `l:a:${action.lessonId}:${action.questionId}:${action.optionIndex}`;
    case 'age':
      return `l:g:${AGE_BANDS.indexOf(action.band)}`;
    case 'review':
      return 'l:r';
    case 'review_answer':
      return `l:ra:${action.lessonId}:${action.questionId}:${action.optionIndex}`;
    case 'not_now':
      return 'l:x';
  }
}

const ID = /^[a-z0-9_]+$/;
const INDEX = /^\d{1,2}$/;

/** Decodes a button id; undefined when it is not a (well-formed) lesson button. */
export function parseLessonButton(id: string): LessonAction | undefined {
  if (!id.startsWith(LESSON_BUTTON_PREFIX)) return undefined;
  const [, kind, a, b, c] = id.split(':');
  const okId = (s: string | undefined): s is string => s !== undefined && ID.test(s);
  const okIndex = (s: string | undefined): s is string => s !== undefined && INDEX.test(s);
  switch (kind) {
    case 'm':
      return { type: 'menu' };
    case 'r':
      return { type: 'review' };
    case 'x':
      return { type: 'not_now' };
    case 's':
      return okId(a) ? { type: 'start', lessonId: a } : undefined;
    case 'q':
      return okId(a) ? { type: 'quiz', lessonId: a } : undefined;
    case 'n':
    case 'b':
      if (!okId(a) || !okIndex(b)) return undefined;
      return { type: kind === 'n' ? 'next' : 'back', lessonId: a, cardIndex: Number(b) };
    case 'a':
    case 'ra':
      if (!okId(a) || !okId(b) || !okIndex(c)) return undefined;
      return {
        type: kind === 'a' ? 'answer' : 'review_answer',
        lessonId: a,
        questionId: b,
        optionIndex: Number(c),
      };
    case 'g': {
      const band = okIndex(a) ? AGE_BANDS[Number(a)] : undefined;
      return band ? { type: 'age', band } : undefined;
    }
    default:
      return undefined;
  }
}

/** `/start lesson_<id>` deep-link payload -> lesson id (not checked against the catalogue). */
export function lessonIdFromDeepLink(payload: string): string | undefined {
  const match = /^lesson_([a-z0-9_]+)$/.exec(payload.trim());
  return match?.[1];
}
