import WebSocket from 'ws';
import { decodeBinaryFrame, type BinaryFrame } from '../protocol/binary-frame.js';
import { parseServerMessage, type ServerMessage } from '../protocol/messages.js';
import { fullJitterDelay, type BackoffPolicy } from './backoff.js';
import type { ComfyLogger } from './logger.js';

export type SocketState = 'idle' | 'connecting' | 'open' | 'waiting' | 'closed';

export interface EventSocketOptions {
  url: string;
  headers: Record<string, string>;
  previewMetadata: boolean;
  reconnect: BackoffPolicy;
  logger: ComfyLogger;
}

export interface SocketListener {
  message(message: ServerMessage): void;
  binary(frame: BinaryFrame): void;
  /** Called on every state change; `opened` after each successful (re)connect. */
  state(state: SocketState): void;
}

/**
 * The one WebSocket of a client id. Opened lazily, reconnects with full-jitter backoff while
 * someone retains it, and never has two connections open with the same clientId: ComfyUI
 * unregisters the id when the older one closes, silencing the newer (transcript 12, finding 13).
 */
export class EventSocket {
  private ws: WebSocket | undefined;
  private readonly dropped = new WeakSet<WebSocket>();
  private closing: Promise<void> | undefined;
  private retainers = 0;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private openWaiters: Array<(open: boolean) => void> = [];
  private _state: SocketState = 'idle';
  /** Time of the last frame received (ms since epoch); 0 before the first. */
  lastFrameAt = 0;
  openedAt = 0;
  connects = 0;

  constructor(
    private readonly options: EventSocketOptions,
    private readonly listener: SocketListener,
  ) {}

  get state(): SocketState {
    return this._state;
  }

  get isOpen(): boolean {
    return this._state === 'open';
  }

  /** Keeps the socket connected (reconnecting as needed) until the matching release(). */
  retain(): void {
    this.retainers++;
    if (this._state === 'idle') this.connect();
  }

  release(): void {
    this.retainers = Math.max(0, this.retainers - 1);
  }

  /** Resolves true once open, false if not open within `timeoutMs` (caller falls back to polling). */
  waitOpen(timeoutMs: number): Promise<boolean> {
    if (this._state === 'closed') return Promise.resolve(false);
    if (this._state === 'open') return Promise.resolve(true);
    if (this._state === 'idle') this.connect();
    return new Promise((resolve) => {
      const done = (open: boolean) => {
        clearTimeout(t);
        this.openWaiters = this.openWaiters.filter((w) => w !== done);
        resolve(open);
      };
      const t = setTimeout(() => done(false), timeoutMs);
      this.openWaiters.push(done);
    });
  }

  /** Drops the current connection (e.g. a zombie that stopped delivering) and reconnects. */
  async recycle(): Promise<void> {
    if (this._state === 'closed') return;
    this.options.logger.info({ url: this.options.url }, 'recycling silent ComfyUI socket');
    await this.drop();
    this.clearTimer();
    this.connect();
  }

  async close(): Promise<void> {
    this.setState('closed');
    this.clearTimer();
    this.flushWaiters(false);
    await this.drop();
  }

  private connect(): void {
    if (this._state === 'closed' || this.ws || this.closing) {
      // A previous connection is still closing: connect once it is gone.
      void this.closing?.then(() => {
        if (!this.ws && this._state !== 'closed' && this._state !== 'open') this.connect();
      });
      return;
    }
    this.setState('connecting');
    const ws = new WebSocket(this.options.url, { headers: this.options.headers, handshakeTimeout: 10_000, perMessageDeflate: false });
    this.ws = ws;
    ws.binaryType = 'nodebuffer';
    ws.on('open', () => {
      this.attempt = 0;
      this.openedAt = Date.now();
      this.connects++;
      // The handshake must be the first message the server sees from us (reference §3.2).
      ws.send(JSON.stringify({ type: 'feature_flags', data: { supports_preview_metadata: this.options.previewMetadata } }));
      this.setState('open');
      this.flushWaiters(true);
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onFrame(data, isBinary));
    ws.on('error', (error) => this.options.logger.debug({ err: error, url: this.options.url }, 'ComfyUI socket error'));
    ws.on('close', (code, reason) => {
      if (this.ws === ws) this.ws = undefined;
      this.options.logger.debug({ code, reason: reason.toString(), url: this.options.url }, 'ComfyUI socket closed');
      if (this._state === 'closed' || this.dropped.has(ws)) return;
      this.scheduleReconnect();
    });
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    this.lastFrameAt = Date.now();
    try {
      if (isBinary) this.listener.binary(decodeBinaryFrame(data));
      else this.listener.message(parseServerMessage(data.toString('utf8')));
    } catch (error) {
      // One bad frame must not kill the live layer; history stays the truth.
      this.options.logger.warn({ err: error, url: this.options.url }, 'ignoring malformed ComfyUI socket frame');
    }
  }

  private scheduleReconnect(): void {
    this.clearTimer();
    if (this.retainers === 0) {
      this.setState('idle');
      this.flushWaiters(false);
      return;
    }
    const delay = fullJitterDelay(this.attempt++, this.options.reconnect);
    this.setState('waiting');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect();
    }, delay);
  }

  /** Closes the current connection and waits until it is really gone. */
  private async drop(): Promise<void> {
    const ws = this.ws;
    if (!ws) return this.closing;
    this.ws = undefined;
    this.dropped.add(ws);
    this.closing = new Promise<void>((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) return resolve();
      ws.once('close', () => resolve());
      ws.terminate();
    }).finally(() => {
      this.closing = undefined;
    });
    return this.closing;
  }

  private setState(state: SocketState): void {
    if (this._state === state || (this._state === 'closed' && state !== 'closed')) return;
    this._state = state;
    this.listener.state(state);
  }

  private flushWaiters(open: boolean): void {
    for (const w of [...this.openWaiters]) w(open);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
