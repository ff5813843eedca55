import type { Hash } from 'node:crypto';
import { writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';

/**
 * A plain HTTP/1.1 GET for large bodies (ComfyUI outputs), built for CPU per byte.
 * Measured on a busy 2-core VM (bench/download.ts), node:http's receive path cost ~5x curl's:
 * every 64 KiB read becomes a fresh Buffer pushed through a Readable. Here the socket reads
 * into one reusable buffer (`onread`), and each read is hashed and written right away while
 * it is still in cache, in small synchronous writes like curl's; large writes of cold data
 * (async slabs, threadpool) measured 2-3x dearer. Page-cache writes take microseconds; while
 * they take long (disk throttling) they go through async writes so the event loop keeps going.
 *
 * A deliberate exception to "use the library made for the job": undici's `stream()` was tried
 * with the same hashing/writing path and cost 1.8-1.9x the CPU per GiB of this (fresh buffer per
 * read, GC), about half curl's throughput, missing the download benchmark's goal. Only the
 * output download uses this; every other request goes through fetch (http-transport.ts).
 */
export interface BulkResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** Body bytes taken in so far (for error messages). */
  readonly received: number;
  /** Streams the body to `file` at its current position, hashing it; resolves with the body length. */
  pipeTo(file: FileHandle, hash: Hash): Promise<number>;
  /** The body as UTF-8 text, cut after `limit` bytes. */
  text(limit: number): Promise<string>;
  close(): void;
}

/** One socket read; also the largest single write. */
const READ_BYTES = 64 << 10;
const HEAD_LIMIT = 64 << 10;
/** A synchronous write slower than this sends the next writes to the threadpool until one is fast again. */
const SLOW_WRITE_MS = 20;

/** Connects, sends the request and resolves once the response head is in (the body waits, paused). */
export function bulkGet(url: string, headers: Record<string, string>, idleTimeoutMs: number): Promise<BulkResponse> {
  return new Exchange(new URL(url), headers, idleTimeoutMs).head;
}

type Framing = { kind: 'length'; left: number } | { kind: 'close' } | Chunked;
interface Chunked {
  kind: 'chunked';
  state: 'size' | 'data' | 'data-end' | 'trailer' | 'done';
  line: string;
  left: number;
}
type Sink = { kind: 'file'; file: FileHandle; hash: Hash; async: boolean } | { kind: 'text'; limit: number; parts: Buffer[]; bytes: number };

class Exchange implements BulkResponse {
  status = 0;
  headers: Record<string, string> = {};
  received = 0;
  readonly head: Promise<BulkResponse>;
  private readonly socket: net.Socket;
  private readonly buf = Buffer.allocUnsafeSlow(READ_BYTES);
  private headParts: Buffer[] = [];
  /** Raw body bytes that came with the head, before anyone asked for the body. */
  private early: Buffer | undefined;
  private framing: Framing | undefined;
  private sink: Sink | undefined;
  private writing: Promise<void> | undefined;
  /** The socket saw EOF or closed. */
  private eof = false;
  /** The whole body is in (or the text limit was reached). */
  private done = false;
  private failure: Error | undefined;
  private settleHead!: { resolve(r: BulkResponse): void; reject(e: Error): void };
  private settleBody: { resolve(): void; reject(e: Error): void } | undefined;

  constructor(url: URL, extra: Record<string, string>, idleTimeoutMs: number) {
    this.head = new Promise((resolve, reject) => (this.settleHead = { resolve, reject }));
    const secure = url.protocol === 'https:';
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(url.port) || (secure ? 443 : 80);
    const onread = { buffer: this.buf, callback: (n: number) => this.onRead(n) };
    this.socket = secure
      ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), onread } as tls.ConnectionOptions)
      : net.connect({ host, port, onread });
    // Idle timeout, not a total one: a multi-GB video may take minutes but must keep moving.
    // Waiting for our own disk or for the caller to take the body does not count.
    this.socket.setTimeout(idleTimeoutMs, () => {
      if (!this.writing && !(this.framing && !this.sink)) this.fail(new Error(`no data for ${idleTimeoutMs} ms`));
    });
    this.socket.on('error', (e) => {
      if (!this.done) this.fail(e); // a reset after the whole body is no failure
    });
    this.socket.on('end', () => this.onEof());
    this.socket.on('close', () => this.onEof());
    try {
      this.socket.write(requestHead(url, extra));
    } catch (error) {
      this.fail(error as Error);
    }
  }

  pipeTo(file: FileHandle, hash: Hash): Promise<number> {
    return this.drain({ kind: 'file', file, hash, async: false }).then(() => this.received);
  }

  text(limit: number): Promise<string> {
    const sink: Sink = { kind: 'text', limit, parts: [], bytes: 0 };
    return this.drain(sink).then(() => Buffer.concat(sink.parts).toString('utf8'));
  }

  close(): void {
    this.socket.destroy();
  }

  private drain(sink: Sink): Promise<void> {
    if (this.sink) throw new Error('the body of a response can be read once');
    this.sink = sink;
    const body = new Promise<void>((resolve, reject) => (this.settleBody = { resolve, reject }));
    const early = this.early;
    this.early = undefined;
    if (!this.failure && early) this.ingest(early);
    if (this.failure) this.settle();
    else if (!this.done) {
      if (this.complete()) this.finish();
      else if (this.eof) this.atEof();
      else if (!this.writing) this.socket.resume();
    }
    return body;
  }

  /** Called by the socket after each read into `buf`; returns false to pause it. */
  private onRead(n: number): boolean {
    if (this.failure || this.done) return false;
    const data = this.buf.subarray(0, n);
    if (!this.framing) return this.onHeadBytes(data);
    if (!this.sink) {
      // Paused until the caller takes the body; keep anything that still slipped in.
      this.early = Buffer.concat([this.early ?? Buffer.alloc(0), data]);
      return false;
    }
    return this.ingest(data);
  }

  private onHeadBytes(data: Buffer): boolean {
    this.headParts.push(Buffer.from(data));
    for (;;) {
      const all = this.headParts.length === 1 ? this.headParts[0]! : Buffer.concat(this.headParts);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) {
        if (all.length > HEAD_LIMIT) this.fail(new Error(`response head longer than ${HEAD_LIMIT} bytes`));
        return !this.failure;
      }
      const parsed = parseHead(all.subarray(0, end).toString('latin1'));
      if (!parsed) {
        this.fail(new Error(`not an HTTP/1.x response: ${JSON.stringify(all.subarray(0, 40).toString('latin1'))}`));
        return false;
      }
      this.headParts = [all.subarray(end + 4)];
      if (parsed.status < 200) continue; // 100 Continue and friends precede the real head
      this.status = parsed.status;
      this.headers = parsed.headers;
      this.framing = framingOf(parsed.status, parsed.headers);
      const rest = this.headParts[0]!;
      this.headParts = [];
      if (rest.length > 0) this.early = rest;
      this.settleHead.resolve(this);
      return false; // wait for pipeTo/text
    }
  }

  /** Takes raw bytes (decoding chunked framing in place) into the sink; returns false to pause. */
  private ingest(raw: Buffer): boolean {
    const framing = this.framing!;
    let body: Buffer;
    if (framing.kind === 'chunked') {
      try {
        body = raw.subarray(0, dechunk(framing, raw));
      } catch (error) {
        this.fail(error as Error);
        return false;
      }
    } else {
      body = framing.kind === 'length' && raw.length > framing.left ? raw.subarray(0, framing.left) : raw;
      if (framing.kind === 'length') framing.left -= body.length;
    }
    this.received += body.length;
    const sink = this.sink!;
    if (sink.kind === 'text') {
      if (sink.bytes < sink.limit) sink.parts.push(Buffer.from(body.subarray(0, sink.limit - sink.bytes)));
      sink.bytes += body.length;
      return this.complete() || sink.bytes >= sink.limit ? this.finish() : true;
    }
    sink.hash.update(body);
    if (body.length > 0 && !this.write(sink, body)) return false;
    return this.complete() ? this.finish() : !this.writing;
  }

  /** Writes body bytes; false once the body failed. */
  private write(sink: Extract<Sink, { kind: 'file' }>, body: Buffer): boolean {
    if (sink.async) {
      // `body` lives in the read buffer: copy it, and read no further until it is on disk.
      const copy = Buffer.from(body);
      const start = performance.now();
      this.writing = writeAll(sink.file, copy).then(
        () => {
          this.writing = undefined;
          // A slow write may also be this thread losing the CPU on a busy host: go back once writes are fast.
          if (performance.now() - start <= SLOW_WRITE_MS) sink.async = false;
          if (this.failure || this.done) this.settle();
          else this.socket.resume();
        },
        (error: Error) => {
          this.writing = undefined;
          this.fail(error);
        },
      );
      return true;
    }
    try {
      const start = performance.now();
      for (let at = 0; at < body.length; ) at += writeSync(sink.file.fd, body, at, body.length - at);
      if (performance.now() - start > SLOW_WRITE_MS) sink.async = true;
      return true;
    } catch (error) {
      this.fail(error as Error);
      return false;
    }
  }

  private complete(): boolean {
    const f = this.framing!;
    return (f.kind === 'length' && f.left === 0) || (f.kind === 'chunked' && f.state === 'done');
  }

  /** The body is in: close the socket, settle once the last write is done. */
  private finish(): false {
    this.done = true;
    process.nextTick(() => this.socket.destroy());
    this.settle();
    return false;
  }

  /** Settles the body once no write is in flight (the caller closes the file next). */
  private settle(): void {
    if (this.writing) return;
    if (this.failure) this.settleBody?.reject(this.failure);
    else if (this.done) this.settleBody?.resolve();
  }

  private onEof(): void {
    if (this.eof) return;
    this.eof = true;
    if (this.done || this.failure) return;
    if (!this.framing) return this.fail(new Error('connection closed before a response'));
    if (this.sink) this.atEof(); // else drain() looks at eof
  }

  private atEof(): void {
    if (this.writing) {
      // The socket is paused on our write; look again when it is done.
      void this.writing.then(() => !this.done && !this.failure && this.atEof());
      return;
    }
    if (this.framing!.kind === 'close') this.finish();
    else if (!this.complete()) this.fail(new Error(this.incomplete()));
  }

  private incomplete(): string {
    const f = this.framing!;
    return f.kind === 'length' ? `connection closed after ${this.received} of ${this.received + f.left} bytes` : 'connection closed inside a chunked body';
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.socket.destroy();
    if (!this.framing) this.settleHead.reject(error);
    else this.settle();
  }
}

async function writeAll(file: FileHandle, buf: Buffer): Promise<void> {
  for (let at = 0; at < buf.length; ) at += (await file.write(buf, at, buf.length - at, null)).bytesWritten;
}

function requestHead(url: URL, extra: Record<string, string>): string {
  const headers: Record<string, string> = { Host: url.host, 'Accept-Encoding': 'identity', Connection: 'close', ...extra };
  const names = new Set(Object.keys(headers).map((k) => k.toLowerCase()));
  if (url.username && !names.has('authorization')) {
    headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  }
  const lines = Object.entries(headers).map(([k, v]) => {
    if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) throw new TypeError(`invalid header ${k}`);
    return `${k}: ${v}`;
  });
  return `GET ${url.pathname}${url.search} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

function parseHead(text: string): { status: number; headers: Record<string, string> } | undefined {
  const [statusLine = '', ...lines] = text.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return { status: Number(m[1]), headers };
}

function framingOf(status: number, headers: Record<string, string>): Framing {
  if (status === 204 || status === 304) return { kind: 'length', left: 0 };
  if (/(^|,)\s*chunked\s*$/i.test(headers['transfer-encoding'] ?? '')) return { kind: 'chunked', state: 'size', line: '', left: 0 };
  const length = headers['content-length'];
  if (length !== undefined && /^\d+$/.test(length)) return { kind: 'length', left: Number(length) };
  return { kind: 'close' };
}

const LF = 10;
const CR = 13;

/** Chunked transfer decoding in place: the payload moves to the front of `buf`; returns its length. */
function dechunk(f: Chunked, buf: Buffer): number {
  let out = 0;
  let i = 0;
  while (i < buf.length && f.state !== 'done') {
    if (f.state === 'data') {
      const n = Math.min(f.left, buf.length - i);
      if (out !== i) buf.copyWithin(out, i, i + n);
      out += n;
      i += n;
      f.left -= n;
      if (f.left === 0) f.state = 'data-end';
      continue;
    }
    const b = buf[i++]!;
    if (b === CR) continue;
    if (b !== LF) {
      if (f.state === 'data-end') throw new Error('malformed chunked encoding');
      if (f.line.length > 1024) throw new Error('chunk size line too long');
      f.line += String.fromCharCode(b);
      continue;
    }
    if (f.state === 'data-end') f.state = 'size';
    else if (f.state === 'size') {
      const size = Number.parseInt(f.line.split(';')[0]!.trim(), 16);
      if (!/^[0-9a-f]+$/i.test(f.line.split(';')[0]!.trim()) || !Number.isSafeInteger(size)) throw new Error(`malformed chunk size ${JSON.stringify(f.line.slice(0, 20))}`);
      f.line = '';
      if (size === 0) f.state = 'trailer';
      else {
        f.left = size;
        f.state = 'data';
      }
    } else if (f.state === 'trailer') {
      if (f.line === '') f.state = 'done';
      f.line = '';
    }
  }
  return out;
}
