import { EventEmitter } from 'node:events';
import type { ComfyLogger } from '../../comfy/client/logger.js';
import { silentLogger } from '../../comfy/client/logger.js';
import type { HealthMonitor } from '../../workers/health.js';
import type { MetricsStore } from '../metrics/metrics-store.js';
import { evaluateRules, type AlertCondition, type AlertRules, type AlertSnapshot } from './alert-rules.js';
import type { WebhookSender } from './webhook.js';

/** An alert as logged and posted: raised when a condition starts, resolved when it ends. */
export interface AlertEvent extends AlertCondition {
  status: 'raised' | 'resolved';
  at: number;
  /** When it was raised (for a resolved alert: how long it lasted). */
  since: number;
}

export interface AlertMonitorOptions {
  rules: AlertRules;
  /** Worker states and free VRAM. */
  health?: Pick<HealthMonitor, 'all'>;
  /** Queue waits and attempt outcomes. */
  metrics?: Pick<MetricsStore, 'prompts'>;
  /** Jobs waiting or ready in the queue (for the queueDepth rule). */
  queueDepth?: () => Promise<number>;
  webhook?: WebhookSender;
  /** pino or anything shaped like it. */
  logger?: ComfyLogger;
  /** Evaluation period when started (default 10 s). */
  intervalMs?: number;
  now?: () => number;
}

/**
 * Evaluates the alert rules on an interval and on demand. A condition that starts raises one
 * `alert` event (logged at warn/error, posted to the webhook when configured); it is not raised
 * again while it lasts, and its end raises a `resolved` event. Nothing here may crash the
 * process: evaluation errors are logged, webhook deliveries run in the background.
 */
export class AlertMonitor extends EventEmitter<{ alert: [AlertEvent] }> {
  private readonly active = new Map<string, { condition: AlertCondition; since: number }>();
  private timer: NodeJS.Timeout | undefined;
  private readonly logger: ComfyLogger;
  private readonly now: () => number;

  constructor(private readonly o: AlertMonitorOptions) {
    super();
    this.logger = o.logger ?? silentLogger;
    this.now = o.now ?? Date.now;
  }

  start(): void {
    this.stop();
    this.timer = setInterval(() => void this.check(), this.o.intervalMs ?? 10_000);
    this.timer.unref();
  }

  /** Gathers a snapshot (with the queue depth, when given the queue) and evaluates it. Never throws. */
  async check(): Promise<AlertEvent[]> {
    let snapshot: AlertSnapshot;
    try {
      snapshot = this.snapshot();
      if (this.o.queueDepth) snapshot.queueDepth = await this.o.queueDepth();
    } catch (error) {
      this.logger.error({ err: error }, 'alert evaluation failed');
      return [];
    }
    return this.evaluate(snapshot);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The alerts firing now. */
  firing(): AlertCondition[] {
    return [...this.active.values()].map((a) => a.condition);
  }

  snapshot(): AlertSnapshot {
    const now = this.now();
    const since = now - this.o.rules.windowMs;
    const records = this.o.metrics?.prompts(since) ?? [];
    return {
      now,
      workers: (this.o.health?.all() ?? []).map((h) => ({
        name: h.name,
        state: h.state,
        since: h.since,
        ...(typeof h.stats?.devices[0]?.vram_free === 'number' ? { vramFreeBytes: h.stats.devices[0].vram_free } : {}),
      })),
      queueWaitsMs: records.filter((r) => r.leasedAt >= since).map((r) => r.queuedMs),
      attempts: records.length,
      failedAttempts: records.filter((r) => r.outcome === 'failed' || r.outcome === 'retried').length,
    };
  }

  /** Evaluates now; returns the events raised. Never throws. */
  evaluate(snapshot?: AlertSnapshot): AlertEvent[] {
    const raised: AlertEvent[] = [];
    try {
      const s = snapshot ?? this.snapshot();
      const holding = new Map(evaluateRules(this.o.rules, s).map((c) => [c.key, c]));
      for (const [key, condition] of holding) {
        const known = this.active.get(key);
        if (known) known.condition = condition;
        else {
          this.active.set(key, { condition, since: s.now });
          raised.push({ ...condition, status: 'raised', at: s.now, since: s.now });
        }
      }
      for (const [key, { condition, since }] of this.active) {
        if (holding.has(key)) continue;
        this.active.delete(key);
        raised.push({ ...condition, status: 'resolved', at: s.now, since, message: `resolved: ${condition.message}` });
      }
    } catch (error) {
      this.logger.error({ err: error }, 'alert evaluation failed');
      return raised;
    }
    for (const event of raised) this.publish(event);
    return raised;
  }

  private publish(event: AlertEvent): void {
    try {
      const log = event.status === 'resolved' ? this.logger.info : event.severity === 'critical' ? this.logger.error : this.logger.warn;
      log.call(this.logger, { alert: event }, event.message);
      this.o.webhook?.send('alert', { status: event.status, alert: event });
      this.emit('alert', event);
    } catch (error) {
      this.logger.error({ err: error, alert: event.key }, 'publishing an alert failed');
    }
  }
}
