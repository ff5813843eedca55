import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A small loopback stand-in for ComfyUI used by the client tests: the routes the client calls,
 * the WebSocket with ComfyUI's message order (reference §3.6), and switches for faults (no
 * socket, silent socket, cut downloads, 5xx, auth). Not the emulator: no validation, no cost
 * model; jobs run a fixed script per node class (Save* → image output, FailNode → RuntimeError,
 * OomNode → torch.OutOfMemoryError).
 */
export interface StubJob {
  number: number;
  promptId: string;
  prompt: Record<string, { class_type: string; inputs: Record<string, unknown> }>;
  extraData: Record<string, unknown>;
  clientId: string | undefined;
}

export interface StubOptions {
  outputDir: string;
  /** Run queued jobs automatically (default true); otherwise call runNext(). */
  autoRun?: boolean;
  stepDelayMs?: number;
  /** Required `Authorization` header value on HTTP and the WS upgrade. */
  requireAuth?: string;
}

interface ClientSocket {
  ws: WebSocket;
  clientId: string;
  flags: boolean;
}

export class ComfyStub {
  url = '';
  readonly requests: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders; body?: unknown }> = [];
  readonly upgrades: Array<{ clientId: string | null; headers: http.IncomingHttpHeaders }> = [];
  readonly firstClientMessages: unknown[] = [];
  pending: StubJob[] = [];
  running: StubJob | undefined;
  history: Record<string, unknown> = {};
  /** Refuse WebSocket upgrades (503). */
  acceptSockets = true;
  /** Keep sockets open but send nothing (a zombie). */
  silent = false;
  /** The next POST /prompt answers 400 with this body. */
  nextPromptError: unknown;
  /** /view faults: cut the connection after `cutAfterBytes` for the next `cutTimes` requests, or 503 `errorTimes`. */
  viewFaults = { cutAfterBytes: 0, cutTimes: 0, errorTimes: 0, ignoreRange: false };
  /** Called between nodes; lets a test act mid-job (drop sockets, delete prompts…). */
  onNode: ((job: StubJob, nodeId: string) => Promise<void> | void) | undefined;
  private counter = 0;
  private readonly server: http.Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<ClientSocket>();
  private loop: Promise<void> = Promise.resolve();
  private interruptFlag = false;

  constructor(readonly options: StubOptions) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      this.upgrades.push({ clientId: url.searchParams.get('clientId'), headers: req.headers });
      const authorised = !options.requireAuth || req.headers.authorization === options.requireAuth;
      if (!this.acceptSockets || !authorised || !/^\/(api\/)?ws$/.test(url.pathname)) {
        socket.end(`HTTP/1.1 ${authorised ? 503 : 401} No\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, url.searchParams.get('clientId') ?? randomUUID().replace(/-/g, '')));
    });
  }

  async start(): Promise<this> {
    await mkdir(this.options.outputDir, { recursive: true });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.ws.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  dropSockets(): void {
    for (const s of this.sockets) s.ws.terminate();
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  /** Runs the next pending job (the lowest number first, like ComfyUI's heap). */
  runNext(): Promise<void> {
    this.loop = this.loop.then(() => this.execute());
    return this.loop;
  }

  send(clientId: string | null | undefined, type: string, data: unknown): void {
    if (this.silent) return;
    for (const s of this.sockets) if (clientId === null || s.clientId === clientId) s.ws.send(JSON.stringify({ type, data }));
  }

  private onSocket(ws: WebSocket, clientId: string): void {
    const entry: ClientSocket = { ws, clientId, flags: false };
    this.sockets.add(entry);
    ws.on('close', () => this.sockets.delete(entry));
    let first = true;
    ws.on('message', (data) => {
      if (!first) return;
      first = false;
      const msg = JSON.parse(String(data)) as { type: string; data: unknown };
      this.firstClientMessages.push(msg);
      if (msg.type === 'feature_flags' && !this.silent) {
        ws.send(JSON.stringify({ type: 'feature_flags', data: { supports_preview_metadata: true, max_upload_size: 104857600 } }));
      }
    });
    if (this.silent) return;
    ws.send(JSON.stringify({ type: 'status', data: { status: { exec_info: { queue_remaining: this.remaining() } }, sid: clientId } }));
    if (this.running?.clientId === clientId && this.currentNode) ws.send(JSON.stringify({ type: 'executing', data: { node: this.currentNode } }));
  }

  private currentNode: string | undefined;

  private remaining(): number {
    return this.pending.length + (this.running ? 1 : 0);
  }

  private status(): void {
    this.send(null, 'status', { status: { exec_info: { queue_remaining: this.remaining() } } });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/^\/api(?=\/)/, '');
    const body = req.method === 'POST' && req.headers['content-type']?.startsWith('application/json') ? await readJson(req) : undefined;
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers, body });
    if (this.options.requireAuth && req.headers.authorization !== this.options.requireAuth) return end(res, 401);
    const json = (value: unknown, status = 200) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(value));
    };
    const b = (body ?? {}) as Record<string, unknown>;
    if (req.method === 'POST' && path === '/prompt') {
      if (this.nextPromptError) {
        const err = this.nextPromptError;
        this.nextPromptError = undefined;
        return json(err, 400);
      }
      const job: StubJob = {
        number: b.front ? -this.counter : this.counter,
        promptId: typeof b.prompt_id === 'string' ? b.prompt_id : randomUUID(),
        prompt: b.prompt as StubJob['prompt'],
        extraData: { ...(b.extra_data as object), ...(b.client_id ? { client_id: b.client_id } : {}) },
        clientId: b.client_id as string | undefined,
      };
      this.counter++;
      this.pending.push(job);
      json({ prompt_id: job.promptId, number: job.number, node_errors: {} });
      this.status();
      if (this.options.autoRun !== false) void this.runNext();
      return;
    }
    if (req.method === 'GET' && path === '/queue') {
      const item = (j: StubJob) => [j.number, j.promptId, j.prompt, j.extraData, Object.keys(j.prompt)];
      return json({ queue_running: this.running ? [item(this.running)] : [], queue_pending: this.pending.map(item) });
    }
    if (req.method === 'POST' && path === '/queue') {
      if (b.clear) this.pending = [];
      if (Array.isArray(b.delete)) this.pending = this.pending.filter((j) => !(b.delete as string[]).includes(j.promptId));
      this.status();
      return end(res, 200);
    }
    if (req.method === 'POST' && path === '/interrupt') {
      if (!b.prompt_id || b.prompt_id === this.running?.promptId) this.interruptFlag = true;
      return end(res, 200);
    }
    const hist = /^\/history\/(.+)$/.exec(path);
    if (req.method === 'GET' && hist) {
      const id = decodeURIComponent(hist[1]!);
      return json(this.history[id] ? { [id]: this.history[id] } : {});
    }
    if (req.method === 'GET' && path === '/history') return json(this.history);
    if (req.method === 'GET' && path === '/view') return this.view(url, req, res);
    if (req.method === 'GET' && path === '/features') return json({ supports_preview_metadata: true, max_upload_size: 104857600 });
    if (req.method === 'POST' && (path === '/upload/image' || path === '/upload/mask')) {
      const form = await new Request('http://x', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: await readAll(req) }).formData();
      const image = form.get('image') as File;
      const subfolder = String(form.get('subfolder') ?? '');
      const type = String(form.get('type') ?? 'input');
      await mkdir(join(this.options.outputDir, '..', type, subfolder), { recursive: true });
      await writeFile(join(this.options.outputDir, '..', type, subfolder, image.name), Buffer.from(await image.arrayBuffer()));
      this.requests.at(-1)!.body = Object.fromEntries([...form.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : `<file ${v.name} ${v.size}>`]));
      return json({ name: image.name, subfolder, type });
    }
    return end(res, 404);
  }

  private async view(url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const filename = url.searchParams.get('filename');
    if (!filename) return end(res, 404);
    if (filename.includes('..') || filename.startsWith('/')) return end(res, 400);
    if (this.viewFaults.errorTimes > 0) {
      this.viewFaults.errorTimes--;
      return end(res, 503);
    }
    const file = join(this.options.outputDir, url.searchParams.get('subfolder') ?? '', filename);
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      return end(res, 404);
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range && !this.viewFaults.ignoreRange ? Number(range[1]) : 0;
    const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size - start), ETag: `"${size}"`, 'Accept-Ranges': 'bytes' };
    if (start > 0) res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${size - 1}/${size}` });
    else res.writeHead(200, headers);
    const cut = this.viewFaults.cutTimes > 0 ? this.viewFaults.cutAfterBytes : 0;
    if (cut > 0) this.viewFaults.cutTimes--;
    const stream = createReadStream(file, { start, ...(cut > 0 ? { end: start + cut - 1 } : {}) });
    stream.pipe(res, { end: cut === 0 });
    if (cut > 0) stream.on('end', () => setTimeout(() => res.socket?.destroy(), 5));
  }

  private async execute(): Promise<void> {
    this.pending.sort((a, b) => a.number - b.number);
    const job = this.pending.shift();
    if (!job) return;
    this.running = job;
    this.interruptFlag = false;
    const to = job.clientId;
    const pid = job.promptId;
    const messages: Array<[string, Record<string, unknown>]> = [];
    const exec = (type: string, data: Record<string, unknown>) => {
      const full = { ...data, prompt_id: pid, timestamp: Date.now() };
      messages.push([type, full]);
      this.send(to, type, full);
    };
    this.status();
    exec('execution_start', {});
    exec('execution_cached', { nodes: [] });
    const outputs: Record<string, unknown> = {};
    const executed: string[] = [];
    let outcome: 'success' | 'error' = 'success';
    for (const [nodeId, node] of Object.entries(job.prompt)) {
      await this.onNode?.(job, nodeId);
      if (this.interruptFlag) {
        exec('execution_interrupted', { node_id: nodeId, node_type: node.class_type, executed });
        outcome = 'error';
        break;
      }
      this.currentNode = nodeId;
      this.send(to, 'executing', { node: nodeId, display_node: nodeId, prompt_id: pid });
      this.send(to, 'progress', { value: 1, max: 1, prompt_id: pid, node: nodeId });
      await delay(this.options.stepDelayMs ?? 5);
      if (node.class_type === 'FailNode' || node.class_type === 'OomNode') {
        const oom = node.class_type === 'OomNode';
        exec('execution_error', {
          node_id: nodeId,
          node_type: node.class_type,
          executed,
          exception_type: oom ? 'torch.OutOfMemoryError' : 'RuntimeError',
          exception_message: oom
            ? 'Allocation on device \nThis error means you ran out of memory on your GPU.\n\nTIPS: If the workflow worked before you might have accidentally set the batch_size to a large number.'
            : 'boom\n',
          traceback: ['  File "execution.py", line 1, in execute\n'],
          current_inputs: {},
          current_outputs: [],
        });
        outcome = 'error';
        break;
      }
      executed.push(nodeId);
      if (node.class_type.startsWith('Save') || node.class_type.startsWith('Preview')) {
        const type = node.class_type.startsWith('Save') ? 'output' : 'temp';
        const filename = `${pid.slice(0, 8)}_${nodeId}.png`;
        await writeFile(join(this.options.outputDir, filename), createHash('sha256').update(filename).digest());
        outputs[nodeId] = { images: [{ filename, subfolder: '', type }] };
        this.send(to, 'executed', { node: nodeId, display_node: nodeId, output: outputs[nodeId], prompt_id: pid });
      }
    }
    if (outcome === 'success') exec('execution_success', {});
    this.currentNode = undefined;
    this.history[pid] = {
      prompt: [job.number, pid, job.prompt, job.extraData, Object.keys(outputs)],
      outputs,
      status: { status_str: outcome, completed: outcome === 'success', messages },
      meta: {},
    };
    this.running = undefined;
    this.status();
    this.send(to, 'executing', { node: null, prompt_id: pid });
    if (this.pending.length > 0 && this.options.autoRun !== false) void this.runNext();
  }
}

export async function startStub(options: StubOptions): Promise<ComfyStub> {
  return new ComfyStub(options).start();
}

function end(res: http.ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': '0', 'Content-Type': 'application/octet-stream' });
  res.end();
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function readAll(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const text = (await readAll(req)).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}
