import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadValidLessons } from '../../../src/content/lessons.js';
import type { LessonAction } from '../../../src/core/lessons/index.js';
import {
  emptyProgress,
  lessonButtonId,
  lessonForTopic,
  lessonIdFromDeepLink,
  offerLesson,
  parseLessonButton,
  parseProgress,
} from '../../../src/core/lessons/index.js';

const catalogue = loadValidLessons(join(import.meta.dirname, '../../../content'));

describe('lesson buttons', () => {
  it('round-trips every action through a short button id', () => {
    const actions: LessonAction[] = [
      { type: 'menu' },
      { type: 'start', lessonId: 'friend_in_trouble' },
      { type: 'next', lessonId: 'debt', cardIndex: 3 },
      { type: 'back', lessonId: 'debt', cardIndex: 1 },
      { type: 'quiz', lessonId: 'debt' },
      { type: 'answer', lessonId: 'friend_in_trouble', questionId: 'q2', optionIndex: 1 },
      { type: 'age', band: '16_17' },
      { type: 'review' },
      { type: 'review_answer', lessonId: 'safe_migration', questionId: 'q3', optionIndex: 2 },
      { type: 'not_now' },
    ];
    for (const action of actions) {
      const id = lessonButtonId(action);
      expect(id.length).toBeLessThanOrEqual(40);
      expect(parseLessonButton(id)).toEqual(action);
    }
  });

  it('rejects ids that are not lesson buttons or are malformed', () => {
    for (const id of ['', 'x:m', 'l:', 'l:s:', 'l:s:Bad-Id', 'l:n:debt', 'l:a:debt:q1:x', 'l:g:9']) {
      expect(parseLessonButton(id)).toBeUndefined();
    }
  });

  it('reads deep links', () => {
    expect(lessonIdFromDeepLink('lesson_job_lure')).toBe('job_lure');
    expect(lessonIdFromDeepLink('check_offer')).toBeUndefined();
  });
});

describe('offering a lesson after an offer check', () => {
  it('finds the lesson for a topic and offers it until it is done', () => {
    expect(lessonForTopic(catalogue, 'job_lure')).toBe('job_lure');
    expect(lessonForTopic(catalogue, 'no_such_topic')).toBeUndefined();
    const offer = offerLesson(catalogue, emptyProgress(), 'debt', 'vi')!;
    expect(offer.kind).toBe('offer');
    expect(offer.text).toContain(catalogue.locales.vi.lessons.debt!.title);
    expect(parseLessonButton(offer.buttons[0]!.id)).toEqual({ type: 'start', lessonId: 'debt' });
    expect(offerLesson(catalogue, { v: 1, d: { debt: [3, 100] } }, 'debt', 'vi')).toBeUndefined();
  });
});

describe('stored progress', () => {
  it('turns anything unreadable into an empty progress', () => {
    expect(parseProgress('not json')).toEqual(emptyProgress());
    expect(parseProgress({ v: 2 })).toEqual(emptyProgress());
    expect(parseProgress(JSON.stringify({ v: 1, a: 1 }))).toEqual({ v: 1, a: 1 });
  });
});
