import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/sim/index.js';
import { WorkerEvents, type WorkerEventMap, type WorkerEventName } from '../../src/workers/events.js';
import { HealthMonitor } from '../../src/workers/health.js';
import type { HealthProbe, ProbeReply } from '../../src/workers/health-probe.js';
import { ManualClock } from '../../src/workers/manual-clock.js';
import { systemStats } from './support/stats.js';

type Recorded = { [K in WorkerEventName]: { type: K } & WorkerEventMap[K] }[WorkerEventName];

function record(events: WorkerEvents): Recorded[] {
  const seen: Recorded[] = [];
  const names: WorkerEventName[] = ['worker.state_changed', 'worker.circuit_opened', 'worker.circuit_half_open', 'worker.circuit_closed', 'worker.recovered'];
  for (const type of names) events.on(type, (e) => seen.push({ type, ...e } as Recorded));
  return seen;
}

const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

async function untilRefused(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(`${url}/system_stats`, { signal: AbortSignal.timeout(500) });
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${url} still answers`);
}

describe('health monitor against the emulator (manual clock)', () => {
  it('healthy → down (crash) with backoff and an opening breaker → half-open → healthy on restart', async () => {
    const first = await startEmulator({ timeScale: 0, faults: [{ classType: 'EmptyImage', action: { type: 'crash' } }] });
    emulators.push(first);
    const clock = new ManualClock(1_000_000);
    const monitor = new HealthMonitor({
      clock,
      intervalMs: 10_000,
      timeoutMs: 5_000,
      backoff: { baseMs: 1_000, maxMs: 60_000 },
      minRecheckMs: 0,
      circuit: { failureThreshold: 3, coolDownMs: 20_000 },
      random: () => 0.5,
    });
    const events = record(monitor.events);
    monitor.add({ name: 'gpu-1', endpoint: { url: first.url }, maxQueued: 2 });
    monitor.start();
    clock.advance(0);
    await monitor.settled();
    expect(monitor.health('gpu-1')).toMatchObject({ state: 'healthy', live: true, ready: true, circuit: 'closed', nextCheckAt: 1_010_000 });
    expect(monitor.health('gpu-1')?.stats?.devices[0]?.name).toContain('RTX 4090');
    expect(monitor.canDispatch('gpu-1')).toBe(true);

    // A node that crashes the whole server: the worker stops answering.
    await fetch(`${first.url}/prompt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: { '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } }, '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } } } }),
    });
    await untilRefused(first.url);

    clock.advance(10_000);
    await monitor.settled();
    expect(monitor.health('gpu-1')).toMatchObject({ state: 'down', live: false, consecutiveFailures: 1, circuit: 'closed' });
    expect(monitor.canDispatch('gpu-1')).toBe(false);
    // attempt 0: uniform in [0, 1000) → 500 with random 0.5
    expect(monitor.health('gpu-1')?.nextCheckAt).toBe(clock.now() + 500);

    clock.advance(500);
    await monitor.settled();
    expect(monitor.health('gpu-1')?.nextCheckAt).toBe(clock.now() + 1_000);
    clock.advance(1_000);
    await monitor.settled();
    // Third failure opens the breaker; the recheck waits for the cool-down, not the backoff (2000).
    expect(monitor.health('gpu-1')).toMatchObject({ state: 'down', consecutiveFailures: 3, circuit: 'open' });
    expect(monitor.health('gpu-1')?.nextCheckAt).toBe(clock.now() + 20_000);

    // ComfyUI comes back on the same port.
    const second = await startEmulator({ timeScale: 0, port: first.port });
    emulators.push(second);
    clock.advance(19_999);
    await monitor.settled();
    expect(monitor.health('gpu-1')?.state).toBe('down');
    clock.advance(1);
    await monitor.settled();
    expect(monitor.health('gpu-1')).toMatchObject({ state: 'healthy', circuit: 'closed', consecutiveFailures: 0 });
    expect(monitor.canDispatch('gpu-1')).toBe(true);

    expect(events.map((e) => e.type === 'worker.state_changed' ? `${e.from}->${e.to}` : e.type)).toEqual([
      'unknown->healthy',
      'healthy->down',
      'worker.circuit_opened',
      'worker.circuit_half_open',
      'worker.circuit_closed',
      'down->healthy',
      'worker.recovered',
    ]);
    const opened = events.find((e) => e.type === 'worker.circuit_opened');
    expect(opened).toMatchObject({ worker: 'gpu-1', failures: 3, retryAt: 1_031_500 });
    expect(events.find((e) => e.type === 'worker.recovered')).toMatchObject({ downForMs: 21_500 });
    monitor.stop();
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('health monitor with a scripted probe', () => {
  function scripted(replies: Array<ProbeReply | Error | 'hang'>): HealthProbe {
    return async () => {
      const next = replies.shift() ?? new Error('script exhausted');
      if (next === 'hang') return new Promise<never>(() => {});
      if (next instanceof Error) throw next;
      return next;
    };
  }

  it('a probe that does not answer in time fails on the injected clock', async () => {
    const clock = new ManualClock();
    const monitor = new HealthMonitor({ clock, probe: scripted(['hang']), timeoutMs: 3_000 });
    const changes: string[] = [];
    monitor.events.on('worker.state_changed', (e) => changes.push(`${e.to}: ${e.reason}`));
    monitor.add({ name: 'w', endpoint: { url: 'http://127.0.0.1:1' }, maxQueued: 1 });
    const check = monitor.check('w');
    clock.advance(2_999);
    expect(monitor.health('w')?.state).toBe('unknown');
    clock.advance(1);
    await check;
    expect(changes).toEqual(['down: no answer to /system_stats within 3000 ms']);
  });

  it('answers but not ready → degraded: full queue, no device, recent jobs all failing', async () => {
    const clock = new ManualClock();
    const monitor = new HealthMonitor({
      clock,
      failingJobsThreshold: 3,
      probe: scripted([
        { stats: systemStats(), queueDepth: 2 },
        { stats: systemStats({ devices: false }), queueDepth: 0 },
        { stats: systemStats(), queueDepth: 0 },
        { stats: systemStats(), queueDepth: 0 },
      ]),
    });
    const reasons: string[] = [];
    monitor.events.on('worker.state_changed', (e) => reasons.push(`${e.from}->${e.to}: ${e.reason}`));
    monitor.add({ name: 'w', endpoint: { url: 'http://127.0.0.1:1' }, maxQueued: 2 });
    expect(await monitor.check('w')).toMatchObject({ state: 'degraded', live: true, ready: false, reason: 'queue full (2/2)' });
    expect(monitor.canDispatch('w')).toBe(false);
    expect(await monitor.check('w')).toMatchObject({ state: 'degraded', reason: 'no device reported in /system_stats' });
    expect(await monitor.check('w')).toMatchObject({ state: 'healthy' });
    monitor.recordJobOutcome('w', false);
    monitor.recordJobOutcome('w', false);
    expect(monitor.health('w')?.state).toBe('healthy');
    monitor.recordJobOutcome('w', false);
    expect(monitor.health('w')).toMatchObject({ state: 'degraded', reason: 'last 3 jobs failed' });
    monitor.recordJobOutcome('w', true);
    expect(monitor.health('w')?.state).toBe('healthy');
    expect(reasons).toEqual([
      'unknown->degraded: queue full (2/2)',
      'degraded->healthy: answers and is ready',
      'healthy->degraded: last 3 jobs failed',
      'degraded->healthy: answers and is ready',
    ]);
  });

  it('a failed half-open probe reopens the breaker; a listener that throws does not stop the monitor', async () => {
    const clock = new ManualClock();
    const errors: unknown[] = [];
    const events = new WorkerEvents((error) => errors.push(error));
    events.on('worker.circuit_opened', () => {
      throw new Error('dashboard bug');
    });
    const opened: number[] = [];
    events.on('worker.circuit_opened', (e) => opened.push(e.at));
    const monitor = new HealthMonitor({
      clock,
      events,
      probe: scripted([new Error('ECONNREFUSED'), new Error('ECONNREFUSED'), { stats: systemStats(), queueDepth: 0 }]),
      circuit: { failureThreshold: 1, coolDownMs: 1_000 },
      backoff: { baseMs: 10, maxMs: 10 },
      random: () => 0,
    });
    monitor.add({ name: 'w', endpoint: { url: 'http://127.0.0.1:1' }, maxQueued: 1 });
    monitor.start();
    clock.advance(0);
    await monitor.settled();
    expect(monitor.health('w')).toMatchObject({ circuit: 'open', nextCheckAt: 1_000 });
    clock.advance(1_000);
    await monitor.settled();
    expect(monitor.health('w')).toMatchObject({ circuit: 'open', state: 'down', nextCheckAt: 2_000 });
    clock.advance(1_000);
    await monitor.settled();
    expect(monitor.health('w')).toMatchObject({ circuit: 'closed', state: 'healthy' });
    expect(opened).toEqual([0, 1_000]);
    expect(errors).toHaveLength(2);
    monitor.stop();
  });
});
