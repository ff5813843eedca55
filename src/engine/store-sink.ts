import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AssetStore } from '../assets/index.js';
import { makeScratchDir } from '../platform/scratch-dir.js';
import type { OutputSink } from '../scheduler/dispatcher/index.js';

/**
 * The dispatcher's output sink into the asset store: each file is streamed to a private temp
 * folder (hashed on the way), then ingested (atomic, checked against that hash) and the temp
 * copy removed. The object is in the store before the job completes; a run killed in between
 * leaves at most an unreferenced object, never a half-written one.
 */
export function storeSink(store: AssetStore): OutputSink {
  return async function intoAssetStore(file, fetchTo, job) {
    const dir = await makeScratchDir('dl');
    try {
      const got = await fetchTo(join(dir, `${job.attempt}-${file.nodeId}-${file.filename.replace(/[^\w.-]+/g, '_')}`));
      const stored = await store.ingest(got.path, { expectedSha256: got.sha256 });
      return { sha256: stored.sha256, bytes: stored.bytes, location: stored.path };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
