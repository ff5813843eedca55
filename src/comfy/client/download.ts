import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { HttpStatusError } from '../errors/http-status-error.js';
import { WorkerUnavailableError, isWorkerUnavailableError } from '../errors/worker-unavailable-error.js';
import { fullJitterDelay, sleep } from './backoff.js';
import { describeNetworkError } from './http-transport.js';
import type { ComfyLogger } from './logger.js';

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
 * Streams a file to `<dir>/.<name>.<random>.part` beside the destination while hashing it,
 * then renames it into place (atomic on one filesystem). Network errors and 5xx are retried
 * with backoff, resuming with `Range` when the server supports it; on final failure the
 * partial file is removed and the destination is untouched.
 */
export async function downloadToFile(req: DownloadRequest): Promise<DownloadedFile> {
  await mkdir(dirname(req.destPath), { recursive: true });
  const temp = join(dirname(req.destPath), `.${basename(req.destPath)}.${randomBytes(4).toString('hex')}.part`);
  let etag: string | undefined;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        const offset = attempt === 0 ? 0 : await sizeOf(temp);
        const outcome = await fetchInto(req, temp, offset, etag);
        etag = outcome.etag ?? etag;
        if (req.durable) await fsync(temp);
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
    throw error;
  }
}

interface FetchOutcome {
  bytes: number;
  sha256: string;
  etag?: string;
}

async function fetchInto(req: DownloadRequest, temp: string, offset: number, etag: string | undefined): Promise<FetchOutcome> {
  const headers: Record<string, string> = { ...req.headers };
  if (offset > 0) {
    headers.Range = `bytes=${offset}-`;
    if (etag) headers['If-Range'] = etag;
  }
  const res = await get(req, headers);
  const status = res.statusCode ?? 0;
  if (status >= 500) {
    res.resume();
    throw new WorkerUnavailableError(req.workerUrl, 'server_error', `GET /view answered ${status}`, { status });
  }
  if (status !== 200 && status !== 206) {
    const body = await readSmall(res);
    throw new HttpStatusError('GET', req.url, status, body);
  }
  const resumed = status === 206 && rangeStart(res.headers['content-range']) === offset && offset > 0;
  const hash = createHash('sha256');
  if (resumed) await hashFile(temp, hash);
  const start = resumed ? offset : 0;
  const length = Number(res.headers['content-length']);
  // A plain 'data' listener beside pipe(): cheaper than a Transform hop on the hot path.
  const tap = { bytes: 0 };
  res.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    tap.bytes += chunk.length;
  });
  try {
    await pipeline(res, createWriteStream(temp, { flags: resumed ? 'a' : 'w' }));
  } catch (cause) {
    throw new WorkerUnavailableError(req.workerUrl, 'network', `download of ${req.url} broke after ${start + tap.bytes} bytes: ${describeNetworkError(cause)}`, {
      cause,
    });
  }
  if (Number.isFinite(length) && tap.bytes !== length) {
    throw new WorkerUnavailableError(req.workerUrl, 'network', `download of ${req.url} ended after ${tap.bytes} of ${length} bytes`);
  }
  const tag = res.headers.etag;
  return { bytes: start + tap.bytes, sha256: hash.digest('hex'), ...(tag ? { etag: tag } : {}) };
}

function get(req: DownloadRequest, headers: Record<string, string>): Promise<http.IncomingMessage> {
  const url = new URL(req.url);
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = lib.get(url, { headers }, resolve);
    // Idle timeout, not a total one: a multi-GB video may take minutes but must keep moving.
    request.setTimeout(req.idleTimeoutMs, () => request.destroy(new Error(`no data for ${req.idleTimeoutMs} ms`)));
    request.on('error', (cause) =>
      reject(new WorkerUnavailableError(req.workerUrl, 'network', `GET ${url.pathname} failed: ${describeNetworkError(cause)}`, { cause })),
    );
  });
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

async function fsync(path: string): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function readSmall(res: http.IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of res) {
    if (text.length < 2_000) text += (chunk as Buffer).toString('utf8');
  }
  return text;
}
