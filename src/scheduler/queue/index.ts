export * from './job-queue.js';
export { QueueEvents, type QueueEventMap } from './queue-events.js';
export { SqliteJobQueue, type SqliteQueueOptions } from './sqlite-queue.js';
export { BullmqJobQueue, type BullmqQueueOptions } from './bullmq-queue.js';
export { openJobQueue, queueConfigSchema, type QueueConfig } from './open-job-queue.js';
export { LeaseLostError } from './errors/lease-lost-error.js';
export { JobNotFoundError } from './errors/job-not-found-error.js';
export { InvalidJobError } from './errors/invalid-job-error.js';
