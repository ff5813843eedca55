import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteJobQueue } from '../../src/scheduler/queue/sqlite-queue.js';
import { queueContract } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'storycore-queue-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// One file per store: a second open is a second connection, as another process would have.
queueContract('sqlite', async (store, options) => new SqliteJobQueue({ ...options, path: join(dir, `${store}.db`) }));
