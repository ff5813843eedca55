import { resolve } from 'node:path';

/**
 * Where dispatchers record metrics and `storycore metrics` reads them: the queue's SQLite file
 * (resolved in the project folder, like the queue), or `<dataDir>/metrics.sqlite` with BullMQ
 * (docs/dispatcher.md).
 */
export function metricsStorePath(
  config: { queue: { backend: string; sqlitePath: string }; paths: { dataDir: string } },
  projectDir: string,
  cwd: string = projectDir,
): string {
  return config.queue.backend === 'sqlite' ? resolve(projectDir, config.queue.sqlitePath) : resolve(cwd, config.paths.dataDir, 'metrics.sqlite');
}
