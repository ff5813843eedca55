import { createHash } from 'node:crypto';
import { ScenarioWaitError } from './errors/scenario-wait-error.js';
import type { IdBook } from './id-book.js';
import { LiveSocket, type LiveFrame } from './live-socket.js';
import type { HttpEvent, HttpRequestRecord, Transcript, TranscriptEvent } from './transcript.js';

/** What a scenario script is given: where to go, and how to pair ids with the reference. */
export interface SessionOptions {
  scenario: string;
  baseUrl: string;
  ids: IdBook;
  /** The recording to pair prompt ids with (k-th POST /prompt ↔ k-th POST /prompt). */
  reference?: Transcript;
  /** Upper bound of every wait for a server message (not a pacing delay). */
  waitTimeoutMs: number;
}

export type MultipartField = { name: string; value: string } | { name: string; filename: string; contentType: string; data: Buffer };

export interface HttpCall {
  label?: string;
  json?: unknown;
  /** A body sent verbatim as application/json (malformed JSON on purpose). */
  raw?: string;
  multipart?: MultipartField[];
}

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: unknown;
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/**
 * Drives one scenario against a live server (emulator or real ComfyUI) and records every
 * exchange in the transcript format of test/fixtures/comfyui: HTTP calls in order, socket
 * opens/sends/frames/closes, and `note`s naming what the script waited for.
 */
export class ScenarioSession {
  readonly events: TranscriptEvent[] = [];
  private readonly sockets = new Map<string, LiveSocket>();
  private readonly clientIds: Record<string, string | null> = {};
  private readonly t0 = performance.now();
  private promptPosts = 0;

  constructor(readonly options: SessionOptions) {}

  private now(): number {
    return Math.round((performance.now() - this.t0) * 10) / 10;
  }

  private push(event: Record<string, unknown>): void {
    this.events.push({ ...event, seq: this.events.length } as TranscriptEvent);
  }

  get clientIdMap(): Record<string, string | null> {
    return { ...this.clientIds };
  }

  /** The live id for a prompt id recorded in the reference (in this or an earlier scenario). */
  live(recordedId: string): string {
    return this.options.ids.live(recordedId);
  }

  note(text: string): void {
    this.push({ kind: 'note', t: this.now(), text });
  }

  async http(method: string, path: string, call: HttpCall = {}): Promise<HttpResult> {
    const request: HttpRequestRecord = { method, path };
    // A worker that stops answering mid-suite must fail the scenario, not hang it.
    const init: RequestInit = { method, signal: AbortSignal.timeout(Math.max(this.options.waitTimeoutMs, 30_000)) };
    if (call.json !== undefined || call.raw !== undefined) {
      request.headers = { ...JSON_HEADERS };
      init.headers = JSON_HEADERS;
      init.body = call.raw ?? JSON.stringify(call.json);
      if (call.raw !== undefined) request.raw_body = call.raw;
      else request.json = call.json;
    } else if (call.multipart) {
      request.headers = { 'Content-Type': 'multipart/form-data; boundary=<generated>' };
      const form = new FormData();
      request.multipart = call.multipart.map((field) => {
        if ('value' in field) {
          form.append(field.name, field.value);
          return { name: field.name, value: field.value };
        }
        form.append(field.name, new Blob([new Uint8Array(field.data)], { type: field.contentType }), field.filename);
        return {
          name: field.name,
          filename: field.filename,
          content_type: field.contentType,
          length: field.data.length,
          sha256: createHash('sha256').update(field.data).digest('hex'),
        };
      });
      init.body = form;
    }
    const event: Record<string, unknown> = { kind: 'http', ...(call.label ? { label: call.label } : {}), t_sent: this.now(), request };
    const index = this.events.length;
    this.push(event);
    const res = await fetch(new URL(path, this.options.baseUrl), init);
    const bytes = Buffer.from(await res.arrayBuffer());
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (name !== 'date') headers[name] = value;
    });
    const response: HttpEvent['response'] = { status: res.status, status_text: res.statusText, headers, body_length: bytes.length };
    const contentType = headers['content-type'] ?? '';
    const text = bytes.toString('utf8');
    let json: unknown;
    if (bytes.length > 0) {
      if (/^application\/json/i.test(contentType)) {
        response.text = text;
        json = JSON.parse(text) as unknown;
        response.json = json;
      } else if (/^text\//i.test(contentType)) {
        response.text = text;
      } else {
        response.binary = {
          length: bytes.length,
          content_type: contentType,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          first8_hex: bytes.subarray(0, 8).toString('hex'),
        };
      }
    }
    // The event keeps its place (where the request was sent); frames that arrived meanwhile follow it.
    this.events[index] = { ...event, seq: index, t_done: this.now(), response } as TranscriptEvent;
    return { status: res.status, headers, text, json };
  }

  /** POST /prompt; pairs the returned prompt id with the reference's k-th POST /prompt. */
  async submit(body: unknown, label?: string): Promise<{ promptId: string; result: HttpResult }> {
    const result = await this.http('POST', '/prompt', { json: body, ...(label ? { label } : {}) });
    const k = this.promptPosts++;
    const promptId = (result.json as { prompt_id?: unknown } | undefined)?.prompt_id;
    const live = typeof promptId === 'string' ? promptId : '';
    const recorded = this.options.reference?.events.filter((e): e is HttpEvent => e.kind === 'http' && e.request.method === 'POST' && /^\/(api\/)?prompt$/.test(e.request.path))[k];
    const recordedId = (recorded?.response.json as { prompt_id?: unknown } | undefined)?.prompt_id;
    if (live && typeof recordedId === 'string') this.options.ids.pair(recordedId, live);
    return { promptId: live, result };
  }

  /** Opens a socket as the recording did: `/ws?clientId=…`, without clientId, or under `/api/ws`. */
  async open(label: string, clientId: string | null, options: { path?: '/ws' | '/api/ws' } = {}): Promise<void> {
    const path = `${options.path ?? '/ws'}${clientId === null ? '' : `?clientId=${encodeURIComponent(clientId)}`}`;
    this.clientIds[label] = clientId;
    this.push({ kind: 'ws_open', client: label, t: this.now(), url: path });
    const url = new URL(path, this.options.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = await LiveSocket.open(
      url.toString(),
      (frame) => this.push({ kind: 'ws_recv', client: label, t: this.now(), ...frame }),
      this.options.waitTimeoutMs,
    );
    this.sockets.set(label, socket);
  }

  send(label: string, message: unknown): void {
    const text = JSON.stringify(message);
    this.push({ kind: 'ws_send', client: label, t: this.now(), text });
    this.socket(label).send(text);
  }

  /** The frontend's first message: declares preview metadata support (ComfyUI answers once). */
  sendFrontendFlags(label: string): void {
    this.send(label, { type: 'feature_flags', data: { supports_preview_metadata: true, supports_manager_v4_ui: true, supports_progress_text_metadata: true } });
  }

  /** How many frames a socket has received so far: a start point for `waitFor`. */
  mark(label: string): number {
    return this.socket(label).frames.length;
  }

  /** Waits for a text message matching `match` (from frame `from` on) and returns it. */
  async waitFor(label: string, what: string, match: (message: { type?: string; data?: Record<string, unknown> }) => boolean, from = 0): Promise<void> {
    const isMatch = (frame: LiveFrame): boolean => 'json' in frame && typeof frame.json === 'object' && frame.json !== null && match(frame.json as { type?: string });
    const index = await this.socket(label).waitFor(isMatch, from, this.options.waitTimeoutMs);
    if (index === undefined) throw new ScenarioWaitError(this.options.scenario, `${what} on ${label}`, this.options.waitTimeoutMs);
  }

  /** Waits for `executing {node: null, prompt_id}`: the end of a job for its client. */
  async waitForEnd(label: string, promptId: string): Promise<void> {
    await this.waitFor(label, `executing{node:null} for ${promptId}`, (m) => m.type === 'executing' && m.data?.node === null && m.data.prompt_id === promptId);
    this.note(`script saw executing{node:null} for ${promptId} on ${label}`);
  }

  /** Waits until a node of the job has started (`executing {node}`), e.g. before an interrupt. */
  async waitForNode(label: string, promptId: string, node: string): Promise<void> {
    await this.waitFor(label, `executing node ${node} of ${promptId}`, (m) => m.type === 'executing' && m.data?.node === node && m.data.prompt_id === promptId);
  }

  /** Waits for a `status` broadcast with this queue_remaining, from frame `from` on. */
  async waitForQueue(label: string, remaining: number, from: number): Promise<void> {
    await this.waitFor(
      label,
      `status queue_remaining=${remaining}`,
      (m) => m.type === 'status' && (m.data?.status as { exec_info?: { queue_remaining?: number } } | undefined)?.exec_info?.queue_remaining === remaining,
      from,
    );
  }

  /** Ping/pong: every reply the server meant to send to earlier socket messages has arrived. */
  async settle(label: string): Promise<void> {
    await this.socket(label).barrier(this.options.waitTimeoutMs);
  }

  async close(label: string): Promise<void> {
    const { code, reason } = await this.socket(label).close();
    this.push({ kind: 'ws_close', client: label, t: this.now(), code, reason });
    this.sockets.delete(label);
  }

  /** Closes what the script left open (after a failure). */
  async closeAll(): Promise<void> {
    for (const label of [...this.sockets.keys()]) await this.close(label);
  }

  private socket(label: string): LiveSocket {
    const socket = this.sockets.get(label);
    if (!socket) throw new Error(`scenario ${this.options.scenario}: socket ${label} is not open`);
    return socket;
  }
}
