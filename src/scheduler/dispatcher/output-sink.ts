import { join } from 'node:path';
import type { DownloadedFile } from '../../comfy/client/download.js';
import type { OutputFile } from '../../comfy/client/job-types.js';

/** Where an output went and what it hashed to. */
export interface StoredOutput {
  sha256: string;
  bytes: number;
  /** A path, or whatever names it in the sink's store. */
  location: string;
}

/**
 * Receives one output file of a job. `fetchTo(path)` streams it from the worker to `path`
 * (atomic rename, sha256 computed on the way); a sink may call it and then move the file into
 * a content-addressed store, or ignore the path it chose.
 */
export type OutputSink = (
  file: OutputFile,
  fetchTo: (destPath: string) => Promise<DownloadedFile>,
  job: { id: string; attempt: number },
) => Promise<StoredOutput>;

/** The default sink: `<dir>/<jobId>/<nodeId>-<filename>`. */
export function directorySink(dir: string): OutputSink {
  return async function toDirectory(file, fetchTo, job) {
    const safeJob = job.id.replace(/[^\w.-]+/g, '_');
    const got = await fetchTo(join(dir, safeJob, `${file.nodeId}-${file.filename}`));
    return { sha256: got.sha256, bytes: got.bytes, location: got.path };
  };
}
