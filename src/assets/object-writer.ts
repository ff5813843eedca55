import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fsyncDir, tmpName } from './atomic-file.js';
import { AssetHashMismatchError } from './errors/asset-hash-mismatch-error.js';
import { AssetStoreInputError } from './errors/asset-store-input-error.js';
import { isSha256 } from './sha256.js';
import type { StoreLayout } from './store-layout.js';
import { ensureDir } from '../platform/ensure-dir.js';
import { storageError, writingTo } from '../platform/storage-errors.js';

/** A file path, bytes, or any stream of bytes (a download body, `fs.createReadStream`, a web ReadableStream). */
export type IngestSource = string | Uint8Array | Readable | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

export interface IngestOptions {
  /** The hash the producer reported; a mismatch deletes the temp file and throws AssetHashMismatchError. */
  expectedSha256?: string;
}

export interface IngestResult {
  sha256: string;
  bytes: number;
  /** Absolute path of the object. */
  path: string;
  /** True when the object was already in the store and was left untouched. */
  deduplicated: boolean;
}

function chunksOf(source: IngestSource): AsyncIterable<Uint8Array> {
  if (typeof source === 'string') return createReadStream(source);
  if (source instanceof Uint8Array) return Readable.from([source]);
  if (source instanceof ReadableStream) return Readable.fromWeb(source as import('node:stream/web').ReadableStream<Uint8Array>);
  return source;
}

/**
 * Streams `source` into `.storycore/tmp/<pid>-<random>`, hashing as it writes, fsyncs, then
 * renames it to `objects/<aa>/<sha256>` (read-only, so an editor opening a render link cannot
 * change a stored object). An object that already exists is not rewritten. `track` is told the
 * temp file's name while it exists, so startup cleanup in this process leaves it alone.
 */
export async function writeObject(layout: StoreLayout, source: IngestSource, options: IngestOptions, track: Set<string>): Promise<IngestResult> {
  const expected = options.expectedSha256?.toLowerCase();
  if (expected !== undefined && !isSha256(expected)) {
    throw new AssetStoreInputError(`expectedSha256 "${options.expectedSha256}" is not a sha256 hex digest`, 'pass the 64-character hex digest the worker reported');
  }
  await ensureDir(layout.tmp);
  const name = tmpName();
  const tmp = join(layout.tmp, name);
  track.add(name);
  try {
    const hash = createHash('sha256');
    let bytes = 0;
    const handle = await writingTo(tmp, () => open(tmp, 'wx', 0o644));
    try {
      for await (const chunk of chunksOf(source)) {
        const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        hash.update(data);
        bytes += data.byteLength;
        let offset = 0;
        try {
          while (offset < data.byteLength) offset += (await handle.write(data, offset)).bytesWritten;
        } catch (error) {
          const total = typeof source === 'string' ? await stat(source).then((s) => s.size, () => bytes) : bytes;
          throw storageError(error, layout.tmp, total);
        }
      }
      await writingTo(tmp, () => handle.sync());
    } finally {
      await handle.close();
    }
    const sha256 = hash.digest('hex');
    const label = typeof source === 'string' ? source : 'stream';
    if (expected !== undefined && expected !== sha256) throw new AssetHashMismatchError(expected, sha256, bytes, label);
    const path = layout.objectPath(sha256);
    if (await exists(path)) {
      await rm(tmp, { force: true });
      return { sha256, bytes, path, deduplicated: true };
    }
    await ensureDir(dirname(path));
    await chmod(tmp, 0o444);
    await rename(tmp, path);
    await fsyncDir(dirname(path));
    return { sha256, bytes, path, deduplicated: false };
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  } finally {
    track.delete(name);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
