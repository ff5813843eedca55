import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HttpStatusError } from '../errors/http-status-error.js';
import { WorkerUnavailableError, isWorkerUnavailableError } from '../errors/worker-unavailable-error.js';
import { fullJitterDelay, sleep } from './backoff.js';
import { bulkGet, type BulkResponse } from './bulk-get.js';
import { describeNetworkError } from './http-transport.js';
import type { ComfyLogger } from './logger.js';
import { ensureDir } from '../../platform/ensure-dir.js';
import { storageError } from '../../platform/storage-errors.js';

export interface DownloadedFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface DownloadRequest {
  url: string;
  /** For error messages: the worker URL without credentials. */
  workerUrl: string;
  headers: Record<string, string>;
  destPath: string;
  retries: number;
  idleTimeoutMs: number;
  durable: boolean;
  logger: ComfyLogger;
}

/**
 * Streams a file to `<dir>/.<name>.<random>.part` beside the destination while hashing it
 * (bulk-get.ts: reusable read slabs, large async writes), fsyncs it when `durable`, then
 * renames it into place (atomic on one filesystem). Network errors and 5xx are retried
 * with backoff, resuming with `Range` when the server supports it; on final failure the
 * partial file is removed and the destination is untouched.
 */
export async function downloadToFile(req: DownloadRequest): Promise<DownloadedFile> {
  await ensureDir(dirname(req.destPath));
  const temp = join(dirname(req.destPath), `.${basename(req.destPath)}.${randomBytes(4).toString('hex')}.part`);
  // The ETag of the first answer, kept across attempts so that a resume says If-Range.
  const seen: { etag?: string } = {};
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        const offset = attempt === 0 ? 0 : await sizeOf(temp);
        const outcome = await fetchInto(req, temp, offset, seen);
        await rename(temp, req.destPath);
        return { path: req.destPath, bytes: outcome.bytes, sha256: outcome.sha256 };
      } catch (error) {
        if (!isWorkerUnavailableError(error) || attempt >= req.retries) throw error;
        const delay = fullJitterDelay(attempt, { initialDelayMs: 200, maxDelayMs: 5_000 });
        req.logger.warn({ err: error, attempt: attempt + 1, delay, url: req.url }, 'download interrupted; retrying');
        await sleep(delay);
      }
    }
  } catch (error) {
    await rm(temp, { force: true });
    throw storageError(error, req.destPath);
  }
}

interface FetchOutcome {
  bytes: number;
  sha256: string;
}

async function fetchInto(req: DownloadRequest, temp: string, offset: number, seen: { etag?: string }): Promise<FetchOutcome> {
  const headers: Record<string, string> = { ...req.headers };
  if (offset > 0) {
    headers.Range = `bytes=${offset}-`;
    if (seen.etag) headers['If-Range'] = seen.etag;
  }
  let res: BulkResponse;
  try {
    res = await bulkGet(req.url, headers, req.idleTimeoutMs);
  } catch (cause) {
    throw new WorkerUnavailableError(req.workerUrl, 'network', `GET ${new URL(req.url).pathname} failed: ${describeNetworkError(cause)}`, { cause });
  }
  try {
    const status = res.status;
    if (status >= 500) throw new WorkerUnavailableError(req.workerUrl, 'server_error', `GET /view answered ${status}`, { status });
    if (status !== 200 && status !== 206) {
      const body = await res.text(2_000).catch(() => '');
      throw new HttpStatusError('GET', req.url, status, body);
    }
    seen.etag ??= res.headers.etag;
    const resumed = status === 206 && rangeStart(res.headers['content-range']) === offset && offset > 0;
    const hash = createHash('sha256');
    if (resumed) await hashFile(temp, hash);
    const start = resumed ? offset : 0;
    const file = await open(temp, resumed ? 'a' : 'w');
    try {
      try {
        await res.pipeTo(file, hash);
      } catch (cause) {
        // Our side failing to write (full disk, permissions) is not the worker's fault: no retry.
        const storage = storageError(cause, req.destPath, contentLength(res.headers['content-length']));
        if (storage !== cause) throw storage;
        throw new WorkerUnavailableError(req.workerUrl, 'network', `download of ${req.url} broke after ${start + res.received} bytes: ${describeNetworkError(cause)}`, {
          cause,
        });
      }
      // Durability before the rename makes the file visible; curl does not do this.
      if (req.durable) await file.sync();
    } finally {
      await file.close();
    }
    return { bytes: start + res.received, sha256: hash.digest('hex') };
  } finally {
    res.close();
  }
}

function contentLength(header: string | undefined): number | undefined {
  const n = Number(header);
  return header !== undefined && Number.isFinite(n) && n >= 0 ? n : undefined;
}

function rangeStart(header: string | undefined): number | undefined {
  const m = /^bytes (\d+)-/.exec(header ?? '');
  return m ? Number(m[1]) : undefined;
}

async function hashFile(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}
