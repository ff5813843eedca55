import type { StoryCoreConfig } from '../config/index.js';
import type { ComfyLogger } from '../comfy/client/logger.js';
import { AlertMonitor, alertRulesSchema, WebhookSender, type AlertRules } from '../scheduler/alerts/index.js';
import type { MetricsStore } from '../scheduler/metrics/metrics-store.js';
import type { JobQueue } from '../scheduler/queue/index.js';
import type { HealthMonitor } from '../workers/health.js';

/** The window of `alerts.thresholds.failureRate`: "over the last hour". */
export const FAILURE_RATE_WINDOW_MS = 3_600_000;

/** The config's `alerts.thresholds` as alert rules (docs/configuration.md, docs/dispatcher.md). */
export function alertRulesFromConfig(alerts: StoryCoreConfig['alerts']): AlertRules {
  const t = alerts.thresholds;
  return alertRulesSchema.parse({ workerDownMs: t.workerDownMs, errorRate: t.failureRate, queueDepth: t.queueDepth, windowMs: FAILURE_RATE_WINDOW_MS });
}

export interface EngineAlertSources {
  health: Pick<HealthMonitor, 'all'>;
  metrics?: Pick<MetricsStore, 'prompts'>;
  queue: Pick<JobQueue, 'counts'>;
  logger?: ComfyLogger;
  /** Evaluation period (default: a tenth of workerDownMs, between 1 s and 10 s). */
  intervalMs?: number;
}

/**
 * The alert monitor the config asks for: its thresholds over the workers' health, the recorded
 * attempts and the queue, posting to `alerts.webhookUrl` (signed with `alerts.secret`) when set.
 */
export function alertMonitorFromConfig(alerts: StoryCoreConfig['alerts'], sources: EngineAlertSources): AlertMonitor {
  const webhook = alerts.webhookUrl ? new WebhookSender({ url: alerts.webhookUrl, ...(alerts.secret ? { secret: alerts.secret } : {}), ...(sources.logger ? { logger: sources.logger } : {}) }) : undefined;
  return new AlertMonitor({
    rules: alertRulesFromConfig(alerts),
    health: sources.health,
    ...(sources.metrics ? { metrics: sources.metrics } : {}),
    queueDepth: async () => {
      const counts = await sources.queue.counts();
      return (counts.waiting ?? 0) + (counts.ready ?? 0);
    },
    ...(webhook ? { webhook } : {}),
    ...(sources.logger ? { logger: sources.logger } : {}),
    intervalMs: sources.intervalMs ?? Math.min(10_000, Math.max(1_000, Math.round(alerts.thresholds.workerDownMs / 10))),
  });
}
