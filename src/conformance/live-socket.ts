import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import type { BinaryFrameInfo } from './transcript.js';

/** One frame as the transcript stores it. */
export type LiveFrame = { text: string; json: unknown } | { binary: BinaryFrameInfo };

const IMAGE_FORMAT_NAMES: Record<number, string> = { 1: 'JPEG', 2: 'PNG' };

/** The transcript's `binary` record of a frame: header fields decoded, the image only hashed. */
export function describeBinaryFrame(bytes: Buffer): BinaryFrameInfo {
  const eventType = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  const decoded: Record<string, unknown> = {};
  if (eventType === 4 && bytes.length >= 8) {
    const metadataLength = bytes.readUInt32BE(4);
    decoded.metadata_length = metadataLength;
    try {
      decoded.metadata = JSON.parse(bytes.subarray(8, 8 + metadataLength).toString('utf8')) as unknown;
    } catch {
      decoded.metadata = null;
    }
    const image = bytes.subarray(8 + metadataLength);
    decoded.image_length = image.length;
    decoded.image_first8_hex = image.subarray(0, 8).toString('hex');
  } else if ((eventType === 1 || eventType === 2) && bytes.length >= 8) {
    const format = bytes.readUInt32BE(4);
    decoded.image_format = format;
    decoded.image_format_name = IMAGE_FORMAT_NAMES[format] ?? String(format);
    decoded.image_length = bytes.length - 8;
    decoded.image_first8_hex = bytes.subarray(8, 16).toString('hex');
  }
  return {
    length: bytes.length,
    first8_hex: bytes.subarray(0, 8).toString('hex'),
    event_type: eventType,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    decoded,
  };
}

/**
 * A WebSocket the scenario drives: every frame is handed to `onFrame` in arrival order, and
 * waiters can look for a frame by predicate from any position on.
 */
export class LiveSocket {
  readonly frames: LiveFrame[] = [];
  private readonly waiters = new Set<() => void>();
  private closed = false;
  private readonly closedPromise: Promise<{ code: number; reason: string }>;

  private constructor(
    private readonly ws: WebSocket,
    onFrame: (frame: LiveFrame) => void,
  ) {
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      let frame: LiveFrame;
      if (isBinary) frame = { binary: describeBinaryFrame(bytes) };
      else {
        const text = bytes.toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text) as unknown;
        } catch {
          json = null;
        }
        frame = { text, json };
      }
      this.frames.push(frame);
      onFrame(frame);
      for (const wake of [...this.waiters]) wake();
    });
    this.closedPromise = new Promise((resolve) => {
      ws.on('close', (code: number, reason: Buffer) => {
        this.closed = true;
        for (const wake of [...this.waiters]) wake();
        resolve({ code, reason: reason.toString('utf8') });
      });
    });
  }

  static open(url: string, onFrame: (frame: LiveFrame) => void, timeoutMs: number): Promise<LiveSocket> {
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs });
    const socket = new LiveSocket(ws, onFrame);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('error', reject);
    });
  }

  send(text: string): void {
    this.ws.send(text);
  }

  /** Resolves with the index of the first frame at or after `from` that matches. */
  waitFor(match: (frame: LiveFrame) => boolean, from: number, timeoutMs: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      const check = (): void => {
        for (let i = from; i < this.frames.length; i++) {
          if (match(this.frames[i] as LiveFrame)) return finish(i);
        }
        if (this.closed) finish(undefined);
      };
      const finish = (index: number | undefined): void => {
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(index);
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /**
   * A ping answered by a pong: the server handles a socket's frames in order, so whatever it
   * was going to send in reply to earlier messages has arrived by then (no sleeping).
   */
  barrier(timeoutMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        this.ws.off('pong', onPong);
        resolve(ok);
      };
      const onPong = (): void => done(true);
      this.ws.on('pong', onPong);
      this.ws.ping();
    });
  }

  async close(): Promise<{ code: number; reason: string }> {
    if (!this.closed) this.ws.close(1000);
    return this.closedPromise;
  }
}
