/** The lesson runner's public API: pure functions over a catalogue and a user's progress. */
export * from './lesson-buttons.js';
export type * from './lesson-catalogue.js';
export * from './lesson-progress.js';
export * from './lesson-runner.js';
export * from './review-schedule.js';
