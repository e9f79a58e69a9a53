import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLessons, loadValidLessons, validateLessons } from '../../../src/content/lessons.js';
import { ContentError } from '../../../src/errors.js';

const broken = join(import.meta.dirname, '../../fixtures/lessons-broken');
const problems = validateLessons(loadLessons(broken));

function problemFor(fileEnd: string, needle: string): string | undefined {
  return problems.find((p) => p.includes(fileEnd) && p.includes(needle));
}

describe('validateLessons on broken fixtures', () => {
  it('names a lesson that exists in English but not in Vietnamese', () => {
    expect(problemFor('en/lessons/only_en.yaml', 'has no vi version')).toBeDefined();
    expect(problemFor('vi/lessons.yaml', '"only_en"')).toBeDefined();
  });

  it('names a question with two correct answers', () => {
    expect(problemFor('en/lessons/two_correct.yaml', 'question "q1" has 2 correct answers')).toBeDefined();
    expect(problemFor('vi/lessons/two_correct.yaml', 'correct answers')).toBeUndefined();
  });

  it('names an option without an explanation', () => {
    expect(problemFor('vi/lessons/no_explanation.yaml', 'option "a" has no explanation')).toBeDefined();
    expect(problemFor('en/lessons/no_explanation.yaml', 'no explanation')).toBeUndefined();
  });

  it('names a card that is too long for a phone screen', () => {
    expect(problemFor('vi/lessons/long_card.yaml', 'card "c3" text is 499 characters')).toBeDefined();
  });

  it('finds nothing wrong with the good fixture lesson', () => {
    expect(problems.filter((p) => p.includes('/good.yaml'))).toEqual([]);
  });

  it('refuses broken content at start-up with a ContentError listing the problems', () => {
    expect(() => loadValidLessons(broken)).toThrow(ContentError);
    expect(() => loadValidLessons(broken)).toThrow(/long_card\.yaml/);
  });

  it('reports cross-language and count problems on an edited catalogue', () => {
    const catalogue = loadLessons(broken);
    const vi = catalogue.locales.vi.lessons.good!;
    const en = catalogue.locales.en.lessons.good!;
    catalogue.locales.vi.lessons.good = { ...vi, sources: [], cards: vi.cards.slice(0, 2) };
    catalogue.locales.en.lessons.good = {
      ...en,
      questions: [
        en.questions[0]!,
        en.questions[1]!,
        { ...en.questions[0]!, id: 'q3' },
        { ...en.questions[0]!, id: 'q4' },
        { ...en.questions[0]!, id: 'q5' },
      ],
    };
    const found = validateLessons(catalogue).filter((p) => p.includes('/good.yaml'));
    expect(found.some((p) => p.includes('vi/lessons/good.yaml') && p.includes('no sources'))).toBe(true);
    expect(found.some((p) => p.includes('vi/lessons/good.yaml') && p.includes('has 2 cards'))).toBe(true);
    expect(found.some((p) => p.includes('en/lessons/good.yaml') && p.includes('has 5 questions'))).toBe(true);
    expect(found.some((p) => p.includes('en/lessons/good.yaml') && p.includes('cards'))).toBe(true);
    expect(found.some((p) => p.includes('en/lessons/good.yaml') && p.includes('questions differ'))).toBe(
      true,
    );
  });
});
