import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { LiveSocket } from '../live-socket.js';
import type { ApiGraph } from '../../comfy/graph.js';
import type { DifferentialCase } from './cases.js';
import type { DifferentialInput } from './inputs.js';
import { encodedLayout, pngChunks, type PngChunks } from './png-chunks.js';

/** The socket messages the suite compares (status, progress and previews are left out). */
const EXECUTION_TYPES = new Set(['execution_start', 'execution_cached', 'executing', 'executed', 'execution_success', 'execution_error', 'execution_interrupted']);
const TERMINAL_TYPES = new Set(['execution_success', 'execution_error', 'execution_interrupted']);

export interface ExecutionMessage {
  type: string;
  data: Record<string, unknown>;
}

export interface SavedImage {
  node: string;
  filename: string;
  type: string;
  width: number;
  height: number;
  channels: number;
  data: Buffer;
  /** PNG chunk types and tEXt entries (undefined for other formats). */
  png?: PngChunks;
  /** `/view?…&preview=<format;quality>` of the first image of each case, by preview value. */
  previews?: Record<string, EncodedPreview>;
}

export interface EncodedPreview {
  contentType: string | null;
  disposition: string | null;
  layout: string;
  width: number;
  height: number;
  data: Buffer;
}

/** The previews asked of every case's first image (the frontend's `preview=webp;90`, and jpeg). */
export const PREVIEW_QUERIES = ['jpeg;80', 'webp;90'] as const;

/** What one server did with one case. */
export interface Observation {
  status: number;
  body: unknown;
  messages: ExecutionMessage[];
  history?: Record<string, unknown>;
  images: SavedImage[];
  /** From execution_start to the last message, as the client saw it. */
  elapsedMs?: number;
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The `extra_pnginfo.workflow` every request carries: SaveImage must embed it as a `workflow`
 * text chunk exactly as json.dumps writes it (float kept as 0.4, non-ASCII escaped).
 */
export const DIFFERENTIAL_WORKFLOW = { last_node_id: 9, nodes: [], links: [], version: 0.4, extra: { note: 'différentiel ✓' } };

/** One server under test: its URL and an open socket with a fixed client id. */
export class DifferentialTarget {
  private constructor(
    readonly url: string,
    readonly clientId: string,
    private readonly socket: LiveSocket,
  ) {}

  static async open(url: string): Promise<DifferentialTarget> {
    const clientId = randomUUID();
    const socket = await LiveSocket.open(`${url.replace(/^http/, 'ws')}/ws?clientId=${clientId}`, () => undefined, 30_000);
    return new DifferentialTarget(url.replace(/\/$/, ''), clientId, socket);
  }

  close(): Promise<unknown> {
    return this.socket.close();
  }

  private async post(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${this.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: parseOrText(text) };
  }

  /** Uploads the inputs, each name prefixed with `prefix`. */
  async upload(inputs: DifferentialInput[], prefix = ''): Promise<void> {
    for (const input of inputs) {
      const form = new FormData();
      const type = input.name.endsWith('.jpg') ? 'image/jpeg' : 'image/png';
      form.append('image', new Blob([new Uint8Array(input.png)], { type }), `${prefix}${input.name}`);
      form.append('overwrite', 'true');
      const res = await fetch(`${this.url}/upload/image`, { method: 'POST', body: form });
      if (res.status !== 200) throw new Error(`upload of ${input.name} to ${this.url} answered ${res.status}`);
    }
  }

  /**
   * Runs the case (its warm-up first) and records what happened. The case gets its own copies
   * of the inputs, so no LoadImage of an earlier case is served from ComfyUI's cache: every
   * case starts cold on both servers without relying on POST /free, whose reset happens
   * asynchronously on ComfyUI's worker thread.
   */
  async run(c: DifferentialCase, inputs: DifferentialInput[], timeoutMs: number): Promise<Observation> {
    const prefix = `${c.id}-`;
    await this.upload(inputs, prefix);
    const names = new Set(inputs.map((i) => i.name));
    const own = (graph: ApiGraph): ApiGraph =>
      Object.fromEntries(
        Object.entries(graph).map(([id, n]) => {
          const image = n.inputs.image;
          return [id, (n.class_type === 'LoadImage' || n.class_type === 'LoadImageMask') && typeof image === 'string' && names.has(image) ? { ...n, inputs: { ...n.inputs, image: `${prefix}${image}` } } : n];
        }),
      );
    if (c.warmup) await this.submit(own(c.warmup), c, timeoutMs, false);
    return this.submit(own(c.graph), c, timeoutMs, true);
  }

  private async submit(graph: unknown, c: DifferentialCase, timeoutMs: number, compared: boolean): Promise<Observation> {
    const from = this.socket.frames.length;
    const body: Record<string, unknown> = { prompt: graph, client_id: this.clientId, extra_data: { extra_pnginfo: { workflow: DIFFERENTIAL_WORKFLOW } } };
    if (c.partialTargets && compared) body.partial_execution_targets = c.partialTargets;
    const answer = await this.post('/prompt', body);
    const observation: Observation = { status: answer.status, body: answer.json, messages: [], images: [] };
    if (answer.status !== 200) return observation;
    const promptId = String((answer.json as { prompt_id?: unknown }).prompt_id);
    const ofPrompt = (f: unknown): ExecutionMessage | undefined => {
      const json = (f as { json?: { type?: unknown; data?: { prompt_id?: unknown } } }).json;
      if (!json || typeof json.type !== 'string' || !EXECUTION_TYPES.has(json.type) || json.data?.prompt_id !== promptId) return undefined;
      return { type: json.type, data: json.data as Record<string, unknown> };
    };
    if (compared && c.interruptAt !== undefined) {
      const at = await this.socket.waitFor((f) => {
        const m = ofPrompt(f);
        return m?.type === 'executing' && m.data.node === c.interruptAt;
      }, from, timeoutMs);
      if (at !== undefined) await this.post('/interrupt', {});
    }
    const started = await this.socket.waitFor((f) => ofPrompt(f)?.type === 'execution_start', from, timeoutMs);
    const startedAt = performance.now();
    const end = await this.socket.waitFor((f) => TERMINAL_TYPES.has(ofPrompt(f)?.type ?? ''), started ?? from, timeoutMs);
    if (end === undefined) throw new Error(`${this.url}: no end of prompt ${promptId} (${c.id}) within ${timeoutMs} ms`);
    observation.elapsedMs = performance.now() - startedAt;
    observation.messages = this.socket.frames.slice(from, end + 1).map(ofPrompt).filter((m): m is ExecutionMessage => m !== undefined);
    observation.history = await this.historyEntry(promptId);
    if (compared) observation.images = await this.savedImages(observation.history);
    return observation;
  }

  /**
   * ComfyUI stores the history entry after it sent the last message (task_done runs after
   * execute returns), so the entry may take a moment to appear.
   */
  private async historyEntry(promptId: string): Promise<Record<string, unknown> | undefined> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const history = (await fetch(`${this.url}/history/${promptId}`).then((r) => r.json())) as Record<string, Record<string, unknown>>;
      if (history[promptId]) return history[promptId];
      await sleep(50);
    }
    return undefined;
  }

  private async previews(query: URLSearchParams): Promise<Record<string, EncodedPreview>> {
    const out: Record<string, EncodedPreview> = {};
    for (const preview of PREVIEW_QUERIES) {
      const res = await fetch(`${this.url}/view?${query}&preview=${encodeURIComponent(preview)}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
      out[preview] = { contentType: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), layout: encodedLayout(bytes), width: info.width, height: info.height, data };
    }
    return out;
  }

  private async savedImages(entry: Record<string, unknown> | undefined): Promise<SavedImage[]> {
    const outputs = (entry?.outputs ?? {}) as Record<string, { images?: { filename: string; subfolder: string; type: string }[] }>;
    const images: SavedImage[] = [];
    for (const nodeId of Object.keys(outputs).sort()) {
      for (const ref of outputs[nodeId]?.images ?? []) {
        const query = new URLSearchParams({ filename: ref.filename, subfolder: ref.subfolder, type: ref.type });
        const res = await fetch(`${this.url}/view?${query}`);
        if (res.status !== 200) throw new Error(`${this.url}/view?${query} answered ${res.status}`);
        const bytes = Buffer.from(await res.arrayBuffer());
        const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
        const png = pngChunks(bytes);
        const saved: SavedImage = { node: nodeId, filename: ref.filename, type: ref.type, width: info.width, height: info.height, channels: info.channels, data, ...(png ? { png } : {}) };
        if (images.length === 0) saved.previews = await this.previews(query);
        images.push(saved);
      }
    }
    return images;
  }
}
