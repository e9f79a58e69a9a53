import type { Clock } from '../../src/ports/clock.js';

/** A clock that moves only when told to. */
export class FakeClock implements Clock {
  constructor(private time = Date.UTC(2026, 10, 28, 12, 0, 0)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
  set(ms: number): void {
    this.time = ms;
  }
}
