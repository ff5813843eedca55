export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit waits before one probe may try (half-open). */
  coolDownMs: number;
}

export interface CircuitTransition {
  from: CircuitState;
  to: CircuitState;
}

/**
 * closed → open after `failureThreshold` consecutive failures → half-open once `coolDownMs`
 * has passed (one probe may go through) → closed on its success, open again on its failure.
 * Pure bookkeeping: the caller passes the time and acts on the transitions returned.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;

  constructor(private readonly options: CircuitBreakerOptions) {}

  get state(): CircuitState {
    return this.current;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** When an open circuit may half-open; undefined unless open. */
  retryAt(): number | undefined {
    return this.current === 'open' ? this.openedAt + this.options.coolDownMs : undefined;
  }

  /** Moves open → half-open when the cool-down is over. */
  tryHalfOpen(now: number): CircuitTransition | undefined {
    if (this.current !== 'open' || now < this.openedAt + this.options.coolDownMs) return undefined;
    return this.move('half_open');
  }

  recordSuccess(): CircuitTransition | undefined {
    this.failures = 0;
    return this.current === 'half_open' ? this.move('closed') : undefined;
  }

  recordFailure(now: number): CircuitTransition | undefined {
    this.failures += 1;
    if (this.current === 'half_open' || (this.current === 'closed' && this.failures >= this.options.failureThreshold)) {
      this.openedAt = now;
      return this.move('open');
    }
    return undefined;
  }

  private move(to: CircuitState): CircuitTransition {
    const from = this.current;
    this.current = to;
    return { from, to };
  }
}
