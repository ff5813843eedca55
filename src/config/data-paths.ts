import { join, resolve } from 'node:path';
import type { StoryCoreConfig } from './schema.js';

const DEFAULT_DATA_DIR = '.storycore';
const DEFAULT_SQLITE_PATH = '.storycore/queue.sqlite';

/**
 * The queue's SQLite file, resolved against `base`: `queue.sqlitePath` when it was set, else
 * `<paths.dataDir>/queue.sqlite`, so moving the data folder moves the queue with it.
 */
export function queueSqlitePath(config: Pick<StoryCoreConfig, 'paths' | 'queue'>, base: string): string {
  const { sqlitePath } = config.queue;
  const { dataDir } = config.paths;
  if (sqlitePath === DEFAULT_SQLITE_PATH && dataDir !== DEFAULT_DATA_DIR) return resolve(base, join(dataDir, 'queue.sqlite'));
  return resolve(base, sqlitePath);
}
