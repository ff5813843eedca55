import type { Clock, TimerHandle } from './clock.js';

interface PendingTimer {
  handle: TimerHandle;
  at: number;
  callback: () => void;
  seq: number;
}

/**
 * A clock that moves only when told: `advance(ms)` fires every timer due on the way, in
 * time order. For tests and simulations of the monitor's schedule.
 */
export class ManualClock implements Clock {
  private current: number;
  private timers: PendingTimer[] = [];
  private seq = 0;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const handle: TimerHandle = { id: ++this.seq };
    this.timers.push({ handle, at: this.current + Math.max(0, ms), callback, seq: this.seq });
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.handle !== handle);
  }

  /** Moves time forward by `ms`, firing due timers (including ones they schedule) in order. */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = Math.max(this.current, next.at);
      next.callback();
    }
    this.current = end;
  }

  /** When the earliest pending timer is due, if any. */
  nextTimerAt(): number | undefined {
    const ats = this.timers.map((t) => t.at);
    return ats.length > 0 ? Math.min(...ats) : undefined;
  }

  pendingTimers(): number {
    return this.timers.length;
  }
}
