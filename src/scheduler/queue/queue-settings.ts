import type { QueueOptions } from './job-queue.js';
import type { JobDefaults } from './transitions.js';

/** `QueueOptions` with their defaults filled in, as every backend applies them. */
export interface QueueSettings {
  clock: () => number;
  leaseMs: number;
  defaults: JobDefaults;
}

export function queueSettings(options: QueueOptions): QueueSettings {
  return { clock: options.clock ?? Date.now, leaseMs: options.leaseMs ?? 30_000, defaults: { maxAttempts: options.maxAttempts ?? 3 } };
}
