import { describe, expect, it, vi } from 'vitest';
import { closedPort } from '../cli/support/run-cli.js';
import { openJobQueue, queueConfigSchema } from '../../src/scheduler/queue/open-job-queue.js';

// Issue 9 item 5: with Redis down, opening the BullMQ queue used to retry forever, printing stack traces.
describe('bullmq queue with Redis down', () => {
  it('fails once with QUEUE_REDIS_UNAVAILABLE naming the URL and queue.redisUrl, printing nothing', { timeout: 15_000 }, async () => {
    const printed = [vi.spyOn(console, 'error').mockImplementation(() => undefined), vi.spyOn(console, 'warn').mockImplementation(() => undefined)];
    try {
      const url = `redis://127.0.0.1:${await closedPort()}`;
      const error = await openJobQueue(queueConfigSchema.parse({ backend: 'bullmq', redisUrl: url, redisConnectTimeoutMs: 2_000 })).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'QUEUE_REDIS_UNAVAILABLE' });
      expect((error as Error).message).toBe(`cannot reach Redis at ${url} for the queue: connection refused`);
      expect((error as { hint: string }).hint).toContain('queue.redisUrl');
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const spy of printed) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of printed) spy.mockRestore();
    }
  });
});
