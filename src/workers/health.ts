import type { WorkerEndpoint } from '../comfy/client/endpoint.js';
import type { SystemStats } from '../comfy/protocol/routes.js';
import { backoff } from './backoff.js';
import { CircuitBreaker, type CircuitState, type CircuitTransition } from './circuit-breaker.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { WorkerEvents } from './events.js';
import { httpHealthProbe, type HealthProbe, type ProbeReply } from './health-probe.js';
import { assessReadiness } from './readiness.js';
import type { HealthState } from './worker-list-file.js';

export interface MonitoredWorker {
  name: string;
  endpoint: WorkerEndpoint;
  maxQueued: number;
}

export interface HealthMonitorOptions {
  clock?: Clock;
  events?: WorkerEvents;
  /** Defaults to GET /system_stats + GET /queue over HTTP. */
  probe?: HealthProbe;
  /** Time between checks of a worker that answers. Default 15 s. */
  intervalMs?: number;
  /** A check that takes longer fails. Default 5 s. */
  timeoutMs?: number;
  /** Rechecks of a down worker: full-jitter backoff. Default 500 ms … 30 s. */
  backoff?: { baseMs: number; maxMs: number };
  /** Floor of a backoff delay, so an unlucky draw of 0 does not spin. Default 50 ms. */
  minRecheckMs?: number;
  circuit?: { failureThreshold: number; coolDownMs: number };
  /** Recent job outcomes remembered per worker, and how many must all fail to mark it degraded. */
  failingJobsThreshold?: number;
  random?: () => number;
}

/** What the monitor knows of one worker. Times are the clock's ms. */
export interface WorkerHealth {
  name: string;
  state: HealthState;
  reason: string;
  since: number;
  /** The process answered the last check at all. */
  live: boolean;
  /** It answered and can take more work. */
  ready: boolean;
  circuit: CircuitState;
  consecutiveFailures: number;
  lastCheckAt?: number;
  lastOkAt?: number;
  nextCheckAt?: number;
  stats?: SystemStats;
  queueDepth?: number;
}

interface Slot {
  worker: MonitoredWorker;
  health: WorkerHealth;
  breaker: CircuitBreaker;
  recentJobs: boolean[];
  timer?: TimerHandle;
  inFlight?: Promise<WorkerHealth>;
  downSince?: number;
}

/**
 * Watches workers through `/system_stats`: healthy (answers and is ready), degraded (answers
 * but its queue is full, no VRAM is reported, or its recent jobs all failed) or down (no
 * answer). A down worker is rechecked with full-jitter backoff; consecutive failures open a
 * circuit breaker that keeps the dispatcher away until a half-open probe succeeds. Every
 * transition is an event on `events`.
 *
 * @example
 * const monitor = new HealthMonitor({ intervalMs: 10_000 });
 * monitor.events.on('worker.state_changed', (e) => log.info(e));
 * monitor.add({ name: 'gpu-1', endpoint: { url: 'http://10.0.0.5:8188' }, maxQueued: 2 });
 * monitor.start();
 */
export class HealthMonitor {
  readonly events: WorkerEvents;
  private readonly clock: Clock;
  private readonly probe: HealthProbe;
  private readonly slots = new Map<string, Slot>();
  private running = false;
  private readonly o: Required<Omit<HealthMonitorOptions, 'clock' | 'events' | 'probe'>>;

  constructor(options: HealthMonitorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.events = options.events ?? new WorkerEvents();
    this.o = {
      intervalMs: options.intervalMs ?? 15_000,
      timeoutMs: options.timeoutMs ?? 5_000,
      backoff: options.backoff ?? { baseMs: 500, maxMs: 30_000 },
      minRecheckMs: options.minRecheckMs ?? 50,
      circuit: options.circuit ?? { failureThreshold: 3, coolDownMs: 30_000 },
      failingJobsThreshold: options.failingJobsThreshold ?? 3,
      random: options.random ?? Math.random,
    };
    this.probe = options.probe ?? httpHealthProbe({ timeoutMs: this.o.timeoutMs });
  }

  add(worker: MonitoredWorker): void {
    if (this.slots.has(worker.name)) this.remove(worker.name);
    const now = this.clock.now();
    this.slots.set(worker.name, {
      worker,
      breaker: new CircuitBreaker(this.o.circuit),
      recentJobs: [],
      health: { name: worker.name, state: 'unknown', reason: 'not checked yet', since: now, live: false, ready: false, circuit: 'closed', consecutiveFailures: 0 },
    });
    if (this.running) this.schedule(worker.name, 0);
  }

  remove(name: string): void {
    const slot = this.slots.get(name);
    if (slot?.timer) this.clock.clearTimeout(slot.timer);
    this.slots.delete(name);
  }

  /** Checks every worker now, then keeps checking on the interval (or backoff). */
  start(): void {
    this.running = true;
    for (const name of this.slots.keys()) this.schedule(name, 0);
  }

  stop(): void {
    this.running = false;
    for (const slot of this.slots.values()) {
      if (slot.timer) this.clock.clearTimeout(slot.timer);
      slot.timer = undefined;
      slot.health.nextCheckAt = undefined;
    }
  }

  health(name: string): WorkerHealth | undefined {
    const slot = this.slots.get(name);
    return slot ? { ...slot.health } : undefined;
  }

  all(): WorkerHealth[] {
    return [...this.slots.values()].map((s) => ({ ...s.health }));
  }

  /** Whether the dispatcher may send this worker new work now. */
  canDispatch(name: string): boolean {
    const slot = this.slots.get(name);
    return slot !== undefined && slot.health.state === 'healthy' && slot.breaker.state === 'closed';
  }

  /** Feeds readiness: a worker whose last jobs all failed is degraded until one succeeds. */
  recordJobOutcome(name: string, succeeded: boolean): void {
    const slot = this.slots.get(name);
    if (!slot) return;
    slot.recentJobs.push(succeeded);
    if (slot.recentJobs.length > Math.max(1, this.o.failingJobsThreshold)) slot.recentJobs.shift();
    if (slot.health.live && slot.health.stats) {
      this.settleReply(slot, { stats: slot.health.stats, ...(slot.health.queueDepth !== undefined ? { queueDepth: slot.health.queueDepth } : {}) });
    }
  }

  /** Checks one worker now (joining a check already in flight) and reschedules it. */
  check(name: string): Promise<WorkerHealth> {
    const slot = this.slots.get(name);
    if (!slot) return Promise.reject(new Error(`worker '${name}' is not monitored`));
    slot.inFlight ??= this.runCheck(slot).finally(() => {
      slot.inFlight = undefined;
    });
    return slot.inFlight;
  }

  checkAll(): Promise<WorkerHealth[]> {
    return Promise.all([...this.slots.keys()].map((name) => this.check(name)));
  }

  /** Resolves when no check is in flight (tests: after advancing a manual clock). */
  async settled(): Promise<void> {
    for (;;) {
      const pending = [...this.slots.values()].map((s) => s.inFlight).filter((p) => p !== undefined);
      if (pending.length === 0) return;
      await Promise.allSettled(pending);
    }
  }

  private schedule(name: string, delayMs: number): void {
    const slot = this.slots.get(name);
    if (!slot || !this.running) return;
    if (slot.timer) this.clock.clearTimeout(slot.timer);
    slot.health.nextCheckAt = this.clock.now() + delayMs;
    slot.timer = this.clock.setTimeout(() => {
      slot.timer = undefined;
      void this.check(name).catch(() => undefined);
    }, delayMs);
  }

  private async runCheck(slot: Slot): Promise<WorkerHealth> {
    const name = slot.worker.name;
    this.circuitMoved(slot, slot.breaker.tryHalfOpen(this.clock.now()), 'cool-down over: one probe may go through');
    let reply: ProbeReply | undefined;
    let failure: string | undefined;
    try {
      reply = await this.probeWithTimeout(slot.worker);
    } catch (error) {
      failure = describeFailure(error);
    }
    if (this.slots.get(name) !== slot) return { ...slot.health };
    const now = this.clock.now();
    slot.health.lastCheckAt = now;
    if (reply) {
      slot.health.lastOkAt = now;
      slot.health.consecutiveFailures = 0;
      this.circuitMoved(slot, slot.breaker.recordSuccess(), 'probe succeeded');
      this.settleReply(slot, reply);
      this.schedule(name, this.o.intervalMs);
    } else {
      slot.health.consecutiveFailures += 1;
      slot.health.live = false;
      slot.health.ready = false;
      const reason = failure ?? 'no answer';
      this.circuitMoved(slot, slot.breaker.recordFailure(now), reason);
      slot.downSince ??= now;
      this.moveTo(slot, 'down', reason);
      const delay = Math.max(this.o.minRecheckMs, backoff(slot.health.consecutiveFailures - 1, { ...this.o.backoff, random: this.o.random }));
      const retryAt = slot.breaker.retryAt();
      this.schedule(name, retryAt === undefined ? delay : Math.max(delay, retryAt - now));
    }
    slot.health.circuit = slot.breaker.state;
    return { ...slot.health };
  }

  private settleReply(slot: Slot, reply: ProbeReply): void {
    slot.health.live = true;
    slot.health.stats = reply.stats;
    if (reply.queueDepth !== undefined) slot.health.queueDepth = reply.queueDepth;
    const readiness = assessReadiness({
      reply,
      maxQueued: slot.worker.maxQueued,
      recentJobs: slot.recentJobs,
      failingJobsThreshold: this.o.failingJobsThreshold,
    });
    slot.health.ready = readiness.ready;
    const wasDown = slot.health.state === 'down';
    const reason = readiness.ready ? (wasDown ? 'answers again' : 'answers and is ready') : readiness.reasons.join('; ');
    if (wasDown && slot.downSince !== undefined) {
      const at = this.clock.now();
      this.moveTo(slot, readiness.ready ? 'healthy' : 'degraded', reason);
      this.events.emit('worker.recovered', { worker: slot.worker.name, downForMs: at - slot.downSince, at });
    } else {
      this.moveTo(slot, readiness.ready ? 'healthy' : 'degraded', reason);
    }
    slot.downSince = undefined;
  }

  private moveTo(slot: Slot, to: HealthState, reason: string): void {
    const from = slot.health.state;
    slot.health.reason = reason;
    if (from === to) return;
    const at = this.clock.now();
    slot.health.state = to;
    slot.health.since = at;
    this.events.emit('worker.state_changed', { worker: slot.worker.name, from, to, reason, at });
  }

  private circuitMoved(slot: Slot, transition: CircuitTransition | undefined, reason: string): void {
    slot.health.circuit = slot.breaker.state;
    if (!transition) return;
    const worker = slot.worker.name;
    const at = this.clock.now();
    if (transition.to === 'open') {
      this.events.emit('worker.circuit_opened', { worker, failures: slot.breaker.consecutiveFailures, reason, retryAt: slot.breaker.retryAt() ?? at, at });
    } else if (transition.to === 'half_open') {
      this.events.emit('worker.circuit_half_open', { worker, at });
    } else {
      this.events.emit('worker.circuit_closed', { worker, at });
    }
  }

  /** The probe, failed by the injected clock when it takes longer than `timeoutMs`. */
  private probeWithTimeout(worker: MonitoredWorker): Promise<ProbeReply> {
    const controller = new AbortController();
    return new Promise<ProbeReply>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        const error = new Error(`no answer to /system_stats within ${this.o.timeoutMs} ms`);
        controller.abort(error);
        reject(error);
      }, this.o.timeoutMs);
      this.probe(worker.endpoint, controller.signal).then(
        (reply) => {
          this.clock.clearTimeout(timer);
          resolve(reply);
        },
        (error: unknown) => {
          this.clock.clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  const detail = cause?.code ?? cause?.message;
  return detail && !error.message.includes(detail) ? `${error.message} (${detail})` : error.message;
}
