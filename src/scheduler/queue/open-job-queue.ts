import { z } from 'zod';
import { BullmqJobQueue } from './bullmq-queue.js';
import type { JobQueue } from './job-queue.js';
import { SqliteJobQueue } from './sqlite-queue.js';

/** The `queue` section of the StoryCore config (docs/queue.md). */
export const queueConfigSchema = z
  .object({
    backend: z.enum(['sqlite', 'bullmq']).default('sqlite'),
    sqlitePath: z.string().min(1).default('.storycore/queue.db'),
    redisUrl: z.string().url().optional(),
    /** How long opening the bullmq backend waits for Redis before failing with QUEUE_REDIS_UNAVAILABLE. */
    redisConnectTimeoutMs: z.number().int().positive().default(5_000),
    /** BullMQ queue name; every orchestrator process sharing work uses the same one. */
    name: z.string().min(1).default('storycore'),
    leaseMs: z.number().int().positive().default(30_000),
    /** How often the dispatcher heartbeats a leased job; well under leaseMs. */
    heartbeatMs: z.number().int().positive().default(10_000),
    maxAttempts: z.number().int().min(1).default(3),
    /** Open to read only (`status`): the SQLite file is not created or changed. */
    readOnly: z.boolean().default(false),
  })
  .refine((config) => config.heartbeatMs < config.leaseMs, {
    message: 'queue.heartbeatMs must be shorter than queue.leaseMs, or leases expire between heartbeats',
    path: ['heartbeatMs'],
  })
  .refine((config) => config.backend !== 'bullmq' || config.redisUrl !== undefined, {
    message: 'queue.backend bullmq needs queue.redisUrl (e.g. redis://127.0.0.1:6379)',
    path: ['redisUrl'],
  });

export type QueueConfig = z.output<typeof queueConfigSchema>;

/** Opens the configured backend; `clock` is for tests that move time by hand. */
export async function openJobQueue(config: QueueConfig, clock?: () => number): Promise<JobQueue> {
  const common = { leaseMs: config.leaseMs, maxAttempts: config.maxAttempts, ...(clock ? { clock } : {}) };
  if (config.backend === 'bullmq') {
    return BullmqJobQueue.open({ ...common, redisUrl: config.redisUrl!, name: config.name, connectTimeoutMs: config.redisConnectTimeoutMs });
  }
  return new SqliteJobQueue({ ...common, path: config.sqlitePath, readOnly: config.readOnly });
}
