import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJobQueue, queueConfigSchema } from '../../src/scheduler/queue/open-job-queue.js';
import { SqliteJobQueue } from '../../src/scheduler/queue/sqlite-queue.js';

describe('queue config', () => {
  it('defaults to SQLite with a 30 s lease', () => {
    expect(queueConfigSchema.parse({})).toMatchObject({ backend: 'sqlite', leaseMs: 30_000, heartbeatMs: 10_000, maxAttempts: 3 });
  });

  it('explains a bullmq backend without redisUrl and a heartbeat slower than the lease', () => {
    const bull = queueConfigSchema.safeParse({ backend: 'bullmq' });
    expect(bull.success).toBe(false);
    expect(bull.error!.issues[0]!.message).toContain('queue.redisUrl');
    const slow = queueConfigSchema.safeParse({ leaseMs: 1000, heartbeatMs: 1000 });
    expect(slow.error!.issues[0]!.message).toContain('heartbeatMs must be shorter');
  });

  it('opens the SQLite backend at sqlitePath', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'storycore-open-queue-'));
    try {
      const queue = await openJobQueue(queueConfigSchema.parse({ sqlitePath: join(dir, 'nested', 'q.db'), maxAttempts: 7 }));
      expect(queue).toBeInstanceOf(SqliteJobQueue);
      const [job] = await queue.add([{ id: 'a', kind: 'k' }]);
      expect(job!.maxAttempts).toBe(7);
      await queue.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
