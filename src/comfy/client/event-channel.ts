/**
 * A single-consumer async queue: events pushed before anyone iterates are buffered (up to
 * `limit`, oldest dropped first), and iteration ends after `end()`.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  private buffer: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private ended = false;
  private iterated = false;
  dropped = 0;

  constructor(private readonly limit = 10_000) {}

  push(value: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value, done: false });
      return;
    }
    this.buffer.push(value);
    if (this.buffer.length > this.limit) {
      this.buffer.shift();
      this.dropped++;
    }
  }

  end(): void {
    this.ended = true;
    if (this.waiting && this.buffer.length === 0) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.iterated) throw new Error('JobHandle.events can be iterated once');
    this.iterated = true;
    return {
      next: () => {
        const value = this.buffer.shift();
        if (value !== undefined) return Promise.resolve({ value, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.buffer = [];
        this.ended = true;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
