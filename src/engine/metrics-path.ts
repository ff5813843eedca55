import { resolve } from 'node:path';
import { queueSqlitePath, type StoryCoreConfig } from '../config/index.js';

/**
 * Where dispatchers record metrics and `storycore metrics` reads them: the queue's SQLite file
 * (resolved in the project folder, like the queue), or `<dataDir>/metrics.sqlite` with BullMQ
 * (docs/dispatcher.md).
 */
export function metricsStorePath(
  config: Pick<StoryCoreConfig, 'paths' | 'queue'>,
  projectDir: string,
  cwd: string = projectDir,
): string {
  return config.queue.backend === 'sqlite' ? queueSqlitePath(config, projectDir) : resolve(cwd, config.paths.dataDir, 'metrics.sqlite');
}
