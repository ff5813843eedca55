import { ComfyClient } from '../comfy/client/comfy-client.js';
import type { WorkerEndpoint } from '../comfy/client/endpoint.js';
import type { QueueState, SystemStats } from '../comfy/protocol/routes.js';

/** What one health check learned: the worker's stats and how many prompts it holds. */
export interface ProbeReply {
  stats: SystemStats;
  /** Running + pending prompts; undefined when `/queue` was not asked. */
  queueDepth?: number;
}

export type HealthProbe = (endpoint: WorkerEndpoint, signal: AbortSignal) => Promise<ProbeReply>;

export function queueDepthOf(queue: QueueState): number {
  return queue.queue_running.length + queue.queue_pending.length;
}

/**
 * The default probe: `GET /system_stats` and `GET /queue` with no retries, so a refused
 * connection fails the check at once (the monitor's backoff does the retrying).
 */
export function httpHealthProbe(options: { timeoutMs: number }): HealthProbe {
  return async (endpoint, signal) => {
    const client = new ComfyClient(endpoint, { socket: false, getRetries: 0, requestTimeoutMs: options.timeoutMs });
    const closed = new Promise<never>((_, reject) => {
      const abort = (): void => reject(signal.reason instanceof Error ? signal.reason : new Error('health check aborted'));
      if (signal.aborted) abort();
      else signal.addEventListener('abort', abort, { once: true });
    });
    try {
      const [stats, queue] = await Promise.race([Promise.all([client.systemStats(), client.queue()]), closed]);
      return { stats, queueDepth: queueDepthOf(queue) };
    } finally {
      await client.close();
    }
  };
}
