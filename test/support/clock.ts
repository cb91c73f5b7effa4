import type { Clock } from '../../electron/services/context';

/** A clock tests move by hand. */
export class TestClock implements Clock {
  private t: number;

  constructor(start = '2026-11-22T09:00:00.000Z') {
    this.t = Date.parse(start);
  }

  now(): Date {
    return new Date(this.t);
  }

  advance(ms: number): void {
    this.t += ms;
  }

  advanceMinutes(minutes: number): void {
    this.advance(minutes * 60_000);
  }
}
