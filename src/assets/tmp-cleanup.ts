import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { processStartMs } from './process-liveness.js';
import type { StoreLayout } from './store-layout.js';
import { liveWriterPids } from './store-lock.js';

export interface TmpCleanupReport {
  removed: string[];
  kept: string[];
}

/**
 * Removes temp files left by writers that died mid-ingest. A temp file is named `<pid>-<random>`;
 * it is stale when its pid is not a live registered writer, or when the pid is ours but the
 * file is older than this process (a previous process that had the same pid). `inFlight` names
 * this process's own ingests still running, which are never touched.
 */
export async function cleanTmp(layout: StoreLayout, inFlight: ReadonlySet<string> = new Set()): Promise<TmpCleanupReport> {
  const report: TmpCleanupReport = { removed: [], kept: [] };
  let names: string[];
  try {
    names = await readdir(layout.tmp);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return report;
    throw error;
  }
  const writers = await liveWriterPids(layout);
  const started = processStartMs();
  for (const name of names) {
    if (inFlight.has(name)) {
      report.kept.push(name);
      continue;
    }
    const pid = Number(/^(\d+)-/.exec(name)?.[1] ?? NaN);
    let stale = !writers.has(pid);
    if (!stale && pid === process.pid) {
      const info = await stat(join(layout.tmp, name)).catch(() => undefined);
      stale = info !== undefined && info.mtimeMs < started;
    }
    if (stale) {
      await rm(join(layout.tmp, name), { force: true, recursive: true });
      report.removed.push(name);
    } else report.kept.push(name);
  }
  return report;
}
