import { Redis } from 'ioredis';
import { QueueUnavailableError } from './errors/queue-unavailable-error.js';

/**
 * One connection attempt, no retries, bounded by `timeoutMs`: BullMQ and ioredis otherwise
 * retry forever, printing a stack trace per attempt, when Redis is down.
 */
export async function assertRedisReachable(redisUrl: string, timeoutMs: number): Promise<void> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    reconnectOnError: () => false,
  });
  let lastError: unknown;
  redis.on('error', (error: unknown) => {
    lastError = error;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms (queue.redisConnectTimeoutMs)`)), timeoutMs);
    });
    await Promise.race([redis.connect().then(() => redis.ping()), deadline]);
  } catch (error) {
    const reason = describe(lastError ?? error);
    throw new QueueUnavailableError(redisUrl, reason, lastError ?? error);
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}

function describe(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (e?.code === 'ECONNREFUSED') return 'connection refused';
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN') return 'host not found';
  if (e?.code === 'ETIMEDOUT') return 'connection timed out';
  return typeof e?.message === 'string' ? e.message.split('\n')[0]! : String(error);
}
