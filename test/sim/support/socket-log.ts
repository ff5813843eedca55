import WebSocket from 'ws';

export type Frame = { kind: 'json'; type: string; data: Record<string, unknown>; text: string } | { kind: 'binary'; eventType: number; bytes: Buffer };

/** A WebSocket client that records every frame, for asserting message order. */
export class SocketLog {
  readonly frames: Frame[] = [];
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw, isBinary) => {
      const buf = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer);
      if (isBinary) this.frames.push({ kind: 'binary', eventType: buf.readUInt32BE(0), bytes: buf });
      else {
        const text = buf.toString('utf8');
        const json = JSON.parse(text) as { type: string; data: Record<string, unknown> };
        this.frames.push({ kind: 'json', type: json.type, data: json.data, text });
      }
      this.poke();
    });
    ws.on('close', () => {
      this.closed = true;
      this.poke();
    });
  }

  static async open(baseUrl: string, options: { clientId?: string; path?: string; flags?: Record<string, unknown> | null } = {}): Promise<SocketLog> {
    const url = `${baseUrl.replace(/^http/, 'ws')}${options.path ?? '/ws'}${options.clientId ? `?clientId=${encodeURIComponent(options.clientId)}` : ''}`;
    const ws = new WebSocket(url);
    const log = new SocketLog(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await log.waitFor((f) => f.kind === 'json' && f.type === 'status');
    if (options.flags !== null) {
      ws.send(JSON.stringify({ type: 'feature_flags', data: options.flags ?? { supports_preview_metadata: true } }));
      await log.waitFor((f) => f.kind === 'json' && f.type === 'feature_flags');
    }
    return log;
  }

  private poke(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves with the first frame (after index `from`) matching `predicate`. */
  async waitFor(predicate: (f: Frame) => boolean, from = 0, timeoutMs = 10_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find(predicate);
      if (found) return found;
      if (this.closed) throw new Error('socket closed while waiting');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${this.summary().join(' | ')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for `executing {node: null}` of that prompt. */
  waitDone(promptId: string): Promise<Frame> {
    return this.waitFor((f) => f.kind === 'json' && f.type === 'executing' && f.data.node === null && f.data.prompt_id === promptId);
  }

  json(): Array<{ type: string; data: Record<string, unknown> }> {
    return this.frames.filter((f): f is Extract<Frame, { kind: 'json' }> => f.kind === 'json');
  }

  /** Compact transcript like the fixtures' `ws_messages_per_client`. */
  summary(filter?: string): string[] {
    return this.frames
      .filter((f) => !filter || (f.kind === 'json' && f.data.prompt_id === filter) || (f.kind === 'binary'))
      .map((f) => {
        if (f.kind === 'binary') return `binary${f.eventType}`;
        if (f.type === 'status') return `status ${(f.data.status as { exec_info: { queue_remaining: number } }).exec_info.queue_remaining}`;
        if (f.type === 'executing' || f.type === 'executed') return `${f.type} ${String(f.data.node)}`;
        if (f.type === 'progress_state')
          return `ps ${Object.entries(f.data.nodes as Record<string, { state: string }>)
            .map(([id, n]) => `${id}:${n.state[0]}`)
            .join(',')}`;
        if (f.type === 'progress') return `progress ${String(f.data.value)}/${String(f.data.max)}`;
        return f.type;
      });
  }

  close(): void {
    this.ws.close();
  }
}

export async function postJson(base: string, path: string, body: unknown): Promise<{ status: number; json: unknown; text: string; headers: Headers }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

export async function getJson(base: string, path: string): Promise<unknown> {
  const res = await fetch(`${base}${path}`);
  return res.json();
}

/** A small PNG made with sharp. */
export async function png(width: number, height: number, rgb: [number, number, number], alpha = false): Promise<Buffer> {
  const sharp = (await import('sharp')).default;
  return sharp({ create: { width, height, channels: alpha ? 4 : 3, background: { r: rgb[0], g: rgb[1], b: rgb[2], alpha: alpha ? 0.5 : 1 } } })
    .png()
    .toBuffer();
}

export async function upload(base: string, route: string, file: Buffer, fields: Record<string, string> & { filename: string }): Promise<{ status: number; json: unknown; text: string }> {
  const form = new FormData();
  const { filename, ...rest } = fields;
  form.append('image', new Blob([new Uint8Array(file)], { type: 'image/png' }), filename);
  for (const [k, v] of Object.entries(rest)) form.append(k, v);
  const res = await fetch(`${base}${route}`, { method: 'POST', body: form });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}
