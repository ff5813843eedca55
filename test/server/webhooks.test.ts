import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingService } from '../support/services.js';
import { webhookReceiver, type ReceivedPost } from '../support/webhook-receiver.js';
import { startHarness, type Harness } from './support/server-harness.js';

const receiver = webhookReceiver;

function verify(secret: string, r: ReceivedPost): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`).digest('base64');
  return String(r.headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

describe.skipIf(missingService('ffmpeg', 'ffmpeg'))('webhooks', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ sim: 2, allowPrivateUrls: true });
  });
  afterAll(async () => h?.stop());

  it('posts run.completed and task.completed signed with Standard Webhooks; a failing receiver is retried and logged, the run is unaffected', async () => {
    const good = await receiver();
    const flaky = await receiver([500, 503]);
    await h.call('POST', '/api/projects', { body: { id: 'hooked', from: 'sample' } });
    const sub = await h.call('POST', '/api/webhooks', { body: { url: good.url, events: ['run.completed', 'task.completed'], project: 'hooked' } });
    expect(sub.status).toBe(201);
    expect(sub.body.secret).toMatch(/^whsec_/);
    const other = await h.call('POST', '/api/webhooks', { body: { url: flaky.url, events: ['run.completed'] } });
    const listed = await h.call('GET', '/api/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');

    const run = await h.call('POST', '/api/projects/hooked/runs', { body: { kind: 'generate' } });
    const ended = await h.server.ctx.runs.settled(run.body.id);
    expect(ended?.state).toBe('completed');
    const summary = ended!.summary as { ran: number };
    for (let i = 0; i < 100 && (good.received.length < summary.ran + 1 || flaky.received.length < 3); i++) await new Promise((r) => setTimeout(r, 50));

    const types = good.received.map((r) => JSON.parse(r.body).type);
    expect(types.filter((t) => t === 'task.completed')).toHaveLength(summary.ran);
    expect(types.filter((t) => t === 'run.completed')).toHaveLength(1);
    for (const r of good.received) expect(verify(sub.body.secret, r)).toBe(true);
    expect(verify(other.body.secret, good.received[0]!)).toBe(false);
    const completed = JSON.parse(good.received.find((r) => JSON.parse(r.body).type === 'run.completed')!.body);
    expect(completed.data).toMatchObject({ project: 'hooked', run: run.body.id, state: 'completed' });

    // The flaky receiver got the same delivery three times (one id), and the log says so.
    expect(flaky.received).toHaveLength(3);
    expect(new Set(flaky.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    for (let i = 0; i < 50 && (await h.call('GET', `/api/webhooks/${other.body.id}/deliveries`)).body.deliveries.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const log = await h.call('GET', `/api/webhooks/${other.body.id}/deliveries`);
    expect(log.body.deliveries[0]).toMatchObject({ event: 'run.completed', ok: true, attempts: 3, status: 200 });
    await good.close();
    await flaky.close();
  });

  it('refuses webhook URLs to loopback and metadata addresses unless the config allows them', async () => {
    const strict = await startHarness({ sim: 0 });
    try {
      for (const url of ['http://127.0.0.1:9/x', 'http://169.254.169.254/latest/meta-data']) {
        const res = await strict.call('POST', '/api/webhooks', { body: { url, events: ['alert'] } });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'URL_NOT_ALLOWED', field: 'body.url' });
      }
    } finally {
      await strict.stop();
    }
  });
});
