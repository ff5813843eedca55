import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertMonitor } from '../../src/scheduler/alerts/alert-monitor.js';
import { alertRulesSchema } from '../../src/scheduler/alerts/alert-rules.js';
import { signBody, WebhookSender } from '../../src/scheduler/alerts/webhook.js';
import { webhookReceiver } from '../support/webhook-receiver.js';
import { configSchema } from '../../src/config/index.js';
import { Engine } from '../../src/engine.js';
import { alertRulesFromConfig } from '../../src/engine/alerts.js';
import { Dispatcher } from '../../src/scheduler/dispatcher/dispatcher.js';
import { MetricsStore } from '../../src/scheduler/metrics/metrics-store.js';
import { toPrometheus } from '../../src/scheduler/metrics/prometheus.js';
import { summarize } from '../../src/scheduler/metrics/summary.js';
import { SqliteJobQueue } from '../../src/scheduler/queue/sqlite-queue.js';
import { modelsFor, poolFor, sd15Job, startWorkers, tempDir, until } from './support/harness.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('metrics of dispatched jobs', () => {
  it('records phases, per-node times, utilisation and model loads, and prints them as Prometheus text and JSON', async () => {
    const dir = tempDir('dispatch-metrics-');
    const models = modelsFor([{ templateId: 'sd15-t2i' }]);
    const emulators = await startWorkers([{ name: 'gpu-a', models, timeScale: 0.01 }]);
    const queuePath = `${dir.path}/queue.sqlite`;
    const queue = new SqliteJobQueue({ path: queuePath });
    const metrics = new MetricsStore(queuePath);
    const pool = poolFor(emulators);
    await pool.start();
    const dispatcher = new Dispatcher({ queue, pool, id: 'm', outputDir: `${dir.path}/out`, metrics, pollMs: 50 });
    cleanups.push(async () => {
      await dispatcher.stop();
      await pool.close();
      for (const e of emulators.values()) await e.close();
      await queue.close();
      metrics.close();
      dir.remove();
    });
    await queue.add([1, 2, 3].map((i) => sd15Job(`k-${i}`, i)));
    dispatcher.start();
    await until(async () => (await queue.counts()).completed === 3, 'three jobs');

    // Read back through a second connection, as `storycore metrics` does.
    const reader = new MetricsStore(queuePath);
    const records = reader.prompts();
    reader.close();
    expect(records).toHaveLength(3);
    for (const r of records) {
      expect(r.outcome).toBe('completed');
      expect(r.executeMs).toBeGreaterThan(0);
      expect(Object.values(r.nodes).map((n) => n.classType)).toContain('KSampler');
    }
    // The checkpoint is loaded once; later prompts find it resident.
    expect(records.map((r) => r.modelLoads)).toEqual([1, 0, 0]);

    const summary = summarize(records);
    expect(summary.jobs.completed).toBe(3);
    expect(summary.phases.executing.count).toBe(3);
    expect(summary.workers).toHaveLength(1);
    expect(summary.workers[0]).toMatchObject({ worker: 'gpu-a', gpu: 'rtx4090', completed: 3, failed: 0, modelLoads: 1 });
    expect(summary.workers[0]!.utilisation).toBeGreaterThan(0);
    expect(summary.workers[0]!.utilisation).toBeLessThanOrEqual(1);
    expect(summary.nodes.map((n) => n.classType)).toContain('KSampler');
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);

    const text = toPrometheus(records, summary);
    expect(text).toContain('# TYPE storycore_job_duration_seconds histogram');
    expect(text).toContain('# TYPE storycore_worker_utilisation gauge');
    expect(text).toContain('# TYPE storycore_jobs_total counter');
    expect(text).toMatch(/^storycore_job_duration_seconds_bucket\{phase="executing",le="\+Inf"\} 3$/m);
    expect(text).toMatch(/^storycore_job_duration_seconds_count\{phase="total"\} 3$/m);
    expect(text).toMatch(/^storycore_worker_utilisation\{worker="gpu-a",gpu="rtx4090"\} (0|1|0\.\d+)$/m);
    expect(text).toMatch(/^storycore_jobs_total\{worker="gpu-a",outcome="completed"\} 3$/m);
    expect(text).toMatch(/^storycore_model_loads_total\{worker="gpu-a"\} 1$/m);
    // Every sample line is `name{labels} value`; buckets are cumulative.
    for (const line of text.trim().split('\n')) if (!line.startsWith('#')) expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? -?[\d.e+-]+$/);
    const buckets = [...text.matchAll(/^storycore_job_duration_seconds_bucket\{phase="total",le="[^"]+"\} (\d+)$/gm)].map((m) => Number(m[1]));
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
  });
});

/** A loopback receiver, closed after the test. */
async function receiver(statuses: number[]) {
  const hook = await webhookReceiver(statuses);
  cleanups.push(() => hook.close());
  return hook;
}

describe('alert webhooks', () => {
  it('signs with the Standard Webhooks scheme (the spec\'s own example vector)', () => {
    // From the Standard Webhooks specification's example.
    expect(signBody('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', '1614265330', '{"test": 2432232314}'))
      .toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('sends webhook-id/-timestamp/-signature, one id for every retry, and retries a 500', async () => {
    const hook = await receiver([500, 500]);
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const sender = new WebhookSender({ url: hook.url, secret, baseDelayMs: 5, maxDelayMs: 20 });
    const outcome = await sender.deliver('alert', { alert: { name: 'worker_down' } });
    expect(outcome).toMatchObject({ ok: true, attempts: 3, status: 200 });
    expect(hook.received).toHaveLength(3);
    const ids = new Set(hook.received.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    for (const r of hook.received) {
      const id = r.headers['webhook-id'] as string;
      const timestamp = r.headers['webhook-timestamp'] as string;
      expect(timestamp).toMatch(/^\d+$/);
      const expected = createHmac('sha256', Buffer.from(secret.slice(6), 'base64')).update(`${id}.${timestamp}.${r.body}`).digest('base64');
      expect(r.headers['webhook-signature']).toBe(`v1,${expected}`);
      expect(JSON.parse(r.body)).toMatchObject({ type: 'alert', data: { alert: { name: 'worker_down' } } });
    }
  });

  it('gives up after its bounded retries, does not retry a 4xx', async () => {
    const hook = await receiver([503, 503, 503, 503]);
    const sender = new WebhookSender({ url: hook.url, retries: 2, baseDelayMs: 5 });
    expect(await sender.deliver('x', {})).toMatchObject({ ok: false, attempts: 3, status: 503 });
    const bad = await receiver([400]);
    expect(await new WebhookSender({ url: bad.url, baseDelayMs: 5 }).deliver('x', {})).toMatchObject({ ok: false, attempts: 1, status: 400 });
  });

  it('an unreachable webhook never throws and does not block the caller', async () => {
    const dead = await receiver([]);
    await new Promise<void>((resolve) => dead.server.close(() => resolve()));
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (_o: object, m?: string) => void warnings.push(m ?? '') };
    const sender = new WebhookSender({ url: dead.url, retries: 2, baseDelayMs: 5, timeoutMs: 500, logger });
    expect(() => sender.send('alert.raised', { a: 1 })).not.toThrow();
    const outcome = await sender.deliver('alert.raised', { a: 1 });
    expect(outcome.ok).toBe(false);
    expect(outcome.attempts).toBe(3);
    expect(outcome.error).toBeTruthy();
    await sender.flush();
    expect(warnings.filter((w) => w.includes('giving up'))).toHaveLength(2);
  });
});

describe('alert rules', () => {
  it('raises once per condition, resolves when it ends, posts both to the webhook', async () => {
    const hook = await receiver([]);
    const webhook = new WebhookSender({ url: hook.url, secret: 'k', baseDelayMs: 5 });
    const rules = alertRulesSchema.parse({ workerDownMs: 10_000, queueWaitP95Ms: 5_000, errorRate: 0.2, freeVramGb: 2, minAttempts: 4 });
    const monitor = new AlertMonitor({ rules, webhook });
    const base = { now: 100_000, workers: [{ name: 'gpu-a', state: 'healthy', since: 0, vramFreeBytes: 10e9 }], queueWaitsMs: [100, 200], attempts: 10, failedAttempts: 1 };
    expect(monitor.evaluate(base)).toEqual([]);
    const bad = { ...base, workers: [{ name: 'gpu-a', state: 'down', since: 80_000 }, { name: 'gpu-b', state: 'healthy', since: 0, vramFreeBytes: 1e9 }], queueWaitsMs: [100, 9_000, 9_500], failedAttempts: 5 };
    const raised = monitor.evaluate(bad);
    expect(raised.map((a) => `${a.status}:${a.key}`).sort()).toEqual(['raised:error_rate', 'raised:low_free_vram:gpu-b', 'raised:queue_wait_p95', 'raised:worker_down:gpu-a']);
    expect(raised.find((a) => a.name === 'worker_down')!.message).toBe('worker gpu-a has been down for 20.0 s (threshold 10.0 s)');
    expect(monitor.evaluate({ ...bad, now: 101_000 })).toEqual([]);
    const resolved = monitor.evaluate({ ...base, now: 102_000 });
    expect(resolved.map((a) => a.status)).toEqual(['resolved', 'resolved', 'resolved', 'resolved']);
    await webhook.flush();
    expect(hook.received.map((r) => JSON.parse(r.body).data.status).sort()).toEqual([...Array(4).fill('raised'), ...Array(4).fill('resolved')].sort());
  });

  it('an evaluation that throws is logged, not thrown', () => {
    const errors: string[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (_o: object, m?: string) => void errors.push(m ?? '') };
    const monitor = new AlertMonitor({ rules: alertRulesSchema.parse({ workerDownMs: 1 }), logger, health: { all: () => { throw new Error('boom'); } } });
    expect(monitor.evaluate()).toEqual([]);
    expect(errors).toEqual(['alert evaluation failed']);
  });
});

describe('the config file\'s alerts section', () => {
  it('sets the thresholds: failureRate over the last hour, queueDepth, workerDownMs', () => {
    const alerts = configSchema.parse({ alerts: { thresholds: { failureRate: 0.5, queueDepth: 3, workerDownMs: 5_000 } } }).alerts;
    expect(alertRulesFromConfig(alerts)).toMatchObject({ errorRate: 0.5, queueDepth: 3, workerDownMs: 5_000, windowMs: 3_600_000 });
  });

  it('an engine opened with it evaluates the thresholds and posts signed alerts to its webhook', async () => {
    const hook = await receiver([]);
    const config = configSchema.parse({ alerts: { webhookUrl: hook.url, secret: 'k3y', thresholds: { queueDepth: 1 } } });
    const dir = tempDir('storycore-alerts-');
    cleanups.push(() => dir.remove());
    const engine = await Engine.open({ config, projectDir: dir.path, sim: { workers: 1, profile: 'rtx4090', timeScale: 0.01, models: {} } });
    cleanups.push(() => engine.close());
    await engine.queue.add([1, 2].map((n) => ({ id: `job-${n}`, kind: 'keyframe', payload: { templateId: 'sd15-t2i', params: {} } })));
    const seen: string[] = [];
    engine.alerts.on('alert', (a) => seen.push(`${a.status}:${a.key}`));
    const raised = await engine.alerts.check();
    expect(raised.map((a) => a.message)).toEqual(['2 jobs are waiting in the queue (threshold 1)']);
    expect(seen).toEqual(['raised:queue_depth']);
    await until(() => hook.received.length > 0, 'the webhook post');
    const [post] = hook.received;
    expect(JSON.parse(post!.body)).toMatchObject({ type: 'alert', data: { status: 'raised', alert: { name: 'queue_depth', value: 2, threshold: 1 } } });
    expect(post!.headers['webhook-signature']).toBe(signBody('k3y', post!.headers['webhook-id'] as string, post!.headers['webhook-timestamp'] as string, post!.body));
  });
});
