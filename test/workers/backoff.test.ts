import { describe, expect, it } from 'vitest';
import { backoff } from '../../src/workers/backoff.js';
import { CircuitBreaker } from '../../src/workers/circuit-breaker.js';

describe('backoff (full jitter)', () => {
  it('draws uniformly below base·2^attempt', () => {
    expect(backoff(0, { baseMs: 500, maxMs: 30_000, random: () => 0.5 })).toBe(250);
    expect(backoff(1, { baseMs: 500, maxMs: 30_000, random: () => 0.5 })).toBe(500);
    expect(backoff(3, { baseMs: 500, maxMs: 30_000, random: () => 0.999 })).toBe(3996);
    expect(backoff(3, { baseMs: 500, maxMs: 30_000, random: () => 0 })).toBe(0);
  });

  it('caps the ceiling at maxMs, even for huge attempts', () => {
    expect(backoff(10, { baseMs: 500, maxMs: 30_000, random: () => 0.5 })).toBe(15_000);
    expect(backoff(5000, { baseMs: 500, maxMs: 30_000, random: () => 0.5 })).toBe(15_000);
    expect(Number.isFinite(backoff(1e9, { baseMs: 1, maxMs: 10, random: () => 0.99 }))).toBe(true);
  });

  it('treats negative or fractional attempts as whole attempts from 0', () => {
    expect(backoff(-3, { baseMs: 100, maxMs: 1000, random: () => 0.5 })).toBe(50);
    expect(backoff(2.7, { baseMs: 100, maxMs: 1000, random: () => 0.5 })).toBe(200);
  });

  it('spreads delays when random varies (jitter)', () => {
    const values = new Set(Array.from({ length: 20 }, (_, i) => backoff(4, { baseMs: 100, maxMs: 10_000, random: () => i / 20 })));
    expect(values.size).toBe(20);
    for (const v of values) expect(v).toBeLessThan(1600);
  });
});

describe('circuit breaker', () => {
  it('opens after N consecutive failures, half-opens after the cool-down, closes on success', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 1000 });
    expect(breaker.recordFailure(0)).toBeUndefined();
    expect(breaker.recordFailure(10)).toBeUndefined();
    expect(breaker.recordFailure(20)).toEqual({ from: 'closed', to: 'open' });
    expect(breaker.retryAt()).toBe(1020);
    expect(breaker.tryHalfOpen(500)).toBeUndefined();
    expect(breaker.state).toBe('open');
    expect(breaker.tryHalfOpen(1020)).toEqual({ from: 'open', to: 'half_open' });
    expect(breaker.recordSuccess()).toEqual({ from: 'half_open', to: 'closed' });
    expect(breaker.consecutiveFailures).toBe(0);
  });

  it('a failed half-open probe opens it again with a fresh cool-down', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, coolDownMs: 100 });
    breaker.recordFailure(0);
    breaker.tryHalfOpen(100);
    expect(breaker.recordFailure(150)).toEqual({ from: 'half_open', to: 'open' });
    expect(breaker.retryAt()).toBe(250);
  });

  it('a success in between resets the count', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 100 });
    breaker.recordFailure(0);
    breaker.recordSuccess();
    expect(breaker.recordFailure(1)).toBeUndefined();
    expect(breaker.state).toBe('closed');
  });
});
