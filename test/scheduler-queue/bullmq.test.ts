import { afterAll, beforeAll, describe } from 'vitest';
import { BullmqJobQueue } from '../../src/scheduler/queue/bullmq-queue.js';
import { missingService } from '../support/services.js';
import { queueContract } from './contract.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';

describe.skipIf(missingService('redis-server', 'redis-server'))('bullmq backend', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  // One BullMQ queue name per store: a second open is a second set of connections to it.
  queueContract('bullmq', (store, options) => BullmqJobQueue.open({ ...options, redisUrl: redis.url, name: store }));
});
