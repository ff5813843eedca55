import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { pyDumps } from './py-json.js';

export const SERVER_FEATURES = { supports_preview_metadata: true, max_upload_size: 104857600 } as const;

interface SocketEntry {
  ws: WebSocket;
  featureFlags: Record<string, unknown>;
}

/**
 * ComfyUI's socket registry: one socket per sid, `send(event, data, sid)` with `sid = null`
 * meaning broadcast. Reproduces its quirks on purpose: a second socket with the same
 * clientId replaces the first in the registry (the old one stays open but deaf), and when
 * the old one closes it unregisters the sid, deafening the new one too.
 */
export class SocketHub {
  private readonly registry = new Map<string, SocketEntry>();
  private readonly all = new Set<WebSocket>();
  private silent = false;

  /** Registers a freshly upgraded socket; returns its sid. */
  attach(ws: WebSocket, clientId: string | null, greeting: (sid: string) => Array<{ type: string; data: unknown }>): string {
    const sid = clientId ? clientId : randomUUID().replace(/-/g, '');
    this.registry.delete(sid);
    const entry: SocketEntry = { ws, featureFlags: {} };
    this.registry.set(sid, entry);
    this.all.add(ws);
    for (const message of greeting(sid)) this.sendTo(ws, message.type, message.data);

    let firstMessage = true;
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return;
      let data: unknown;
      try {
        data = JSON.parse(raw.toString());
      } catch {
        return; // a JSONDecodeError keeps the "first message" slot open
      }
      if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        // `data.get(...)` raises on a non-dict: aiohttp's handler dies and closes the socket.
        ws.close(1011);
        return;
      }
      const message = data as { type?: unknown; data?: unknown };
      if (firstMessage && message.type === 'feature_flags') {
        const flags = message.data;
        entry.featureFlags = flags && typeof flags === 'object' && !Array.isArray(flags) ? (flags as Record<string, unknown>) : {};
        this.sendTo(ws, 'feature_flags', { ...SERVER_FEATURES });
      }
      firstMessage = false;
    });
    ws.on('close', () => {
      this.all.delete(ws);
      // ComfyUI pops by sid, whichever socket holds it now.
      this.registry.delete(sid);
    });
    return sid;
  }

  /** `send_sync(event, data, sid)`: null = broadcast; unknown sid = dropped. */
  send(event: string, data: unknown, sid: string | null): void {
    if (sid === null) {
      for (const entry of this.registry.values()) this.sendTo(entry.ws, event, data);
      return;
    }
    const entry = this.registry.get(sid);
    if (entry) this.sendTo(entry.ws, event, data);
  }

  sendBinary(frame: Buffer, sid: string | null): void {
    if (this.silent) return;
    const targets = sid === null ? [...this.registry.values()] : [this.registry.get(sid)].filter((e): e is SocketEntry => e !== undefined);
    for (const entry of targets) if (entry.ws.readyState === entry.ws.OPEN) entry.ws.send(frame);
  }

  /** Feature flag of the socket currently holding `sid` (false when none is connected). */
  supports(sid: string | null, flag: string): boolean {
    if (sid === null) return false;
    return this.registry.get(sid)?.featureFlags[flag] === true;
  }

  isConnected(sid: string): boolean {
    return this.registry.has(sid);
  }

  setSilent(silent: boolean): void {
    this.silent = silent;
  }

  /** Drops every connection as a network failure would; clients must reconnect. */
  dropAll(): void {
    for (const ws of this.all) ws.terminate();
  }

  get size(): number {
    return this.all.size;
  }

  private sendTo(ws: WebSocket, event: string, data: unknown): void {
    if (this.silent || ws.readyState !== ws.OPEN) return;
    ws.send(pyDumps({ type: event, data }));
  }
}
