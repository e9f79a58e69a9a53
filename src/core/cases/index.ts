export * from './case.js';
export * from './queue.js';
export * from './sla.js';
export * from './stats.js';
export * from './transitions.js';
