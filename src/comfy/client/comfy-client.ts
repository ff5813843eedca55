import { randomUUID } from 'node:crypto';
import type { ApiGraph, NodeId } from '../graph.js';
import { PromptValidationError } from '../errors/prompt-validation-error.js';
import { objectInfoSchema } from '../object-info/schema.js';
import type { ObjectInfo } from '../object-info/types.js';
import { protocolOfVersion, type ComfyProtocol } from '../comfyui-version.js';
import { historySchema, type History, type HistoryEntry } from '../protocol/history.js';
import { jobCancelSchema, jobListSchema, jobSchema, type JobList, type JobRecord, type JobStatus } from '../protocol/jobs.js';
import type { OutputFileRef } from '../protocol/output-files.js';
import { promptErrorBodySchema } from '../protocol/prompt-errors.js';
import {
  featuresSchema,
  promptAcceptedSchema,
  promptInfoSchema,
  queueSchema,
  stringListSchema,
  systemStatsSchema,
  uploadResponseSchema,
  type Features,
  type PromptInfo,
  type QueueState,
  type SystemStats,
} from '../protocol/routes.js';
import { downloadToFile, type DownloadedFile } from './download.js';
import { displayUrl, normalizeEndpoint, socketUrl, type WorkerEndpoint } from './endpoint.js';
import { EventSocket } from './event-socket.js';
import { HttpTransport } from './http-transport.js';
import { ComfyJobHandle, type JobContext } from './job-handle.js';
import { JobRouter } from './job-router.js';
import type { AttachOptions, JobHandle, SubmitOptions } from './job-types.js';
import { silentLogger } from './logger.js';
import { resolveOptions, type ComfyClientOptions, type ResolvedClientOptions } from './options.js';
import { presenceFromJob, presenceFromQueue, type PromptPresence } from './prompt-presence.js';
import { loadImageValue, uploadForm, type MaskUploadOptions, type UploadedFile, type UploadOptions } from './upload.js';

/**
 * A client of one ComfyUI worker: every HTTP route (typed and validated), one shared event
 * socket per client id, and job handles that complete from history.
 *
 * @example
 * const client = new ComfyClient({ url: 'http://gpu1:8188', auth: { type: 'bearer', token } });
 * const job = await client.submit(graph);
 * for await (const e of job.events) if (e.type === 'progress') console.log(e.value, e.max);
 * const { files } = await job.result();
 * await client.download(files[0], 'out/keyframe.png');
 */
export class ComfyClient {
  readonly endpoint: WorkerEndpoint;
  readonly clientId: string;
  readonly options: ResolvedClientOptions;
  private readonly http: HttpTransport;
  private readonly socket: EventSocket | undefined;
  private readonly router = new JobRouter();
  private readonly url: string;
  private queueFetch: { startedAt: number; promise: Promise<QueueState> } | undefined;
  private protocolFetch: Promise<ComfyProtocol> | undefined;
  private closed = false;

  constructor(endpoint: WorkerEndpoint | string, options: ComfyClientOptions = {}) {
    this.endpoint = normalizeEndpoint(endpoint);
    this.clientId = options.clientId ?? randomUUID();
    this.options = resolveOptions(options, this.clientId, options.logger ?? silentLogger);
    this.url = displayUrl(this.endpoint);
    this.http = new HttpTransport(this.endpoint, {
      timeoutMs: this.options.requestTimeoutMs,
      timeoutKey: this.options.timeoutKeys.request ?? 'client.requestTimeoutMs',
      logger: this.options.logger,
      ...(this.options.onSlowRequest ? { onSlowRequest: this.options.onSlowRequest } : {}),
    });
    if (this.options.socket) {
      this.socket = new EventSocket(
        {
          url: socketUrl(this.endpoint, this.clientId),
          headers: this.http.authHeaders,
          previewMetadata: this.options.previewMetadata,
          reconnect: this.options.reconnect,
          logger: this.options.logger,
        },
        {
          message: (m) => this.router.message(m),
          binary: (f) => this.router.binary(f),
          state: (state) => this.router.socketChanged(state, (this.socket?.connects ?? 0) > 1),
        },
      );
    }
  }

  // ---- jobs ----

  /**
   * Queues a graph (`POST /prompt` with this client's id) and returns its handle. The prompt id
   * is chosen here, before posting, so no early event can be missed. 400 → PromptValidationError.
   */
  async submit(graph: ApiGraph, options: SubmitOptions = {}): Promise<JobHandle> {
    this.assertOpen();
    const promptId = options.promptId ?? randomUUID();
    const handle = this.track(promptId, options);
    try {
      if (this.socket) await this.socket.waitOpen(this.options.socketOpenTimeoutMs);
      const body: Record<string, unknown> = {
        prompt: graph,
        client_id: this.clientId,
        prompt_id: promptId,
        extra_data: { ...options.extraData, client_id: this.clientId },
      };
      if (options.front) body.front = true;
      if (options.number !== undefined) body.number = options.number;
      if (options.partialExecutionTargets) body.partial_execution_targets = options.partialExecutionTargets;
      const res = await this.http.send('POST', '/prompt', { json: body, passStatuses: [400] });
      if (res.status === 400) {
        const err = this.http.parse(res, 'POST /prompt (400)', promptErrorBodySchema);
        throw new PromptValidationError(err.error, err.node_errors, { url: this.url, graph });
      }
      const accepted = this.http.parse(res, 'POST /prompt', promptAcceptedSchema);
      if (Object.keys(accepted.node_errors).length > 0) {
        this.options.logger.warn({ promptId, nodeErrors: accepted.node_errors }, 'ComfyUI accepted the prompt but dropped some outputs');
      }
      handle.submission = { number: accepted.number, nodeErrors: accepted.node_errors };
      handle.start(!this.socket?.isOpen);
      return handle;
    } catch (error) {
      this.untrack(handle);
      throw error;
    }
  }

  /** Rebuilds a handle from a prompt id (e.g. after a restart): resolves from history if done. */
  attach(promptId: string, options: AttachOptions = {}): JobHandle {
    this.assertOpen();
    // Live until the first poll reads the prompt's client_id from the queue.
    const handle = this.track(promptId, { ...options, live: false });
    handle.start(true);
    return handle;
  }

  // ---- routes ----

  systemStats(): Promise<SystemStats> {
    return this.http.json('GET', '/system_stats', systemStatsSchema, { retries: this.options.getRetries });
  }

  queue(): Promise<QueueState> {
    return this.http.json('GET', '/queue', queueSchema, { retries: this.options.getRetries });
  }

  /** `GET /prompt`: `{exec_info: {queue_remaining}}` (pending + running). */
  promptInfo(): Promise<PromptInfo> {
    return this.http.json('GET', '/prompt', promptInfoSchema, { retries: this.options.getRetries });
  }

  /** All node definitions, or one class (`{}` when the worker does not have it). */
  async objectInfo(nodeClass?: string): Promise<ObjectInfo> {
    const path = nodeClass ? `/object_info/${encodeURIComponent(nodeClass)}` : '/object_info';
    return (await this.http.json('GET', path, objectInfoSchema, {
      retries: this.options.getRetries,
      timeoutMs: this.options.objectInfoTimeoutMs,
      timeoutKey: this.options.timeoutKeys.objectInfo ?? 'client.objectInfoTimeoutMs',
    })) as unknown as ObjectInfo;
  }

  /** Model folder keys, or the files of one folder (unknown folder → HttpStatusError 404). */
  models(folder?: string): Promise<string[]> {
    const path = folder ? `/models/${encodeURIComponent(folder)}` : '/models';
    return this.http.json('GET', path, stringListSchema, { retries: this.options.getRetries });
  }

  embeddings(): Promise<string[]> {
    return this.http.json('GET', '/embeddings', stringListSchema, { retries: this.options.getRetries });
  }

  extensions(): Promise<string[]> {
    return this.http.json('GET', '/extensions', stringListSchema, { retries: this.options.getRetries });
  }

  features(): Promise<Features> {
    return this.http.json('GET', '/features', featuresSchema, { retries: this.options.getRetries });
  }

  /** One prompt's history (`{}` if unknown), or the history with `maxItems`/`offset`. */
  history(promptId?: string, page: { maxItems?: number; offset?: number } = {}): Promise<History> {
    if (promptId) return this.http.json('GET', `/history/${encodeURIComponent(promptId)}`, historySchema, { retries: this.options.getRetries });
    return this.http.json('GET', '/history', historySchema, {
      retries: this.options.getRetries,
      query: { max_items: page.maxItems, offset: page.offset },
    });
  }

  async historyEntry(promptId: string): Promise<HistoryEntry | undefined> {
    return (await this.history(promptId))[promptId];
  }

  deleteHistory(promptIds: string[]): Promise<void> {
    return this.http.empty('POST', '/history', { json: { delete: promptIds } });
  }

  clearHistory(): Promise<void> {
    return this.http.empty('POST', '/history', { json: { clear: true } });
  }

  // ---- version and the Jobs API (current ComfyUI) ----

  /**
   * Which protocol the worker speaks, from the `comfyui_version` of `/system_stats` (asked once;
   * a failed ask is retried next time): '0.3.64' or 'current' (Jobs API, UUID-checked ids).
   */
  protocol(): Promise<ComfyProtocol> {
    const fetching = (this.protocolFetch ??= this.systemStats().then((s) => protocolOfVersion(s.system.comfyui_version)));
    fetching.catch(() => {
      if (this.protocolFetch === fetching) this.protocolFetch = undefined;
    });
    return fetching;
  }

  /** `GET /api/jobs` (current ComfyUI only): filters, sort and paging as the server takes them. */
  jobs(query: { status?: JobStatus[]; workflowId?: string; sortBy?: 'created_at' | 'execution_duration'; sortOrder?: 'asc' | 'desc'; limit?: number; offset?: number } = {}): Promise<JobList> {
    return this.http.json('GET', '/jobs', jobListSchema, {
      retries: this.options.getRetries,
      query: {
        status: query.status?.join(','),
        workflow_id: query.workflowId,
        sort_by: query.sortBy,
        sort_order: query.sortOrder,
        limit: query.limit,
        offset: query.offset,
      },
    });
  }

  /** `GET /api/jobs/{id}` (current ComfyUI only); undefined when the worker does not know the id. */
  async job(promptId: string): Promise<JobRecord | undefined> {
    const res = await this.http.send('GET', `/jobs/${encodeURIComponent(promptId)}`, { passStatuses: [404], retries: this.options.getRetries });
    if (res.status === 404) return undefined;
    return this.http.parse(res, 'GET /api/jobs/{id}', jobSchema);
  }

  /** `POST /api/jobs/{id}/cancel` (current ComfyUI only): dequeues or interrupts; false when it was a no-op. */
  async cancelJob(promptId: string): Promise<boolean> {
    return (await this.http.json('POST', `/jobs/${encodeURIComponent(promptId)}/cancel`, jobCancelSchema)).cancelled;
  }

  /** Where a prompt id stands on the worker: the Jobs API where present, history and the queue where not. */
  async promptPresence(promptId: string): Promise<PromptPresence> {
    if ((await this.protocol()) === 'current') return presenceFromJob(await this.job(promptId));
    if (await this.historyEntry(promptId)) return 'finished';
    const queue = await this.queueSince(Date.now());
    // History again: the prompt may have finished between the two reads.
    return presenceFromQueue(promptId, await this.historyEntry(promptId), queue);
  }

  /** Interrupts the running prompt; with an id, only if that prompt is the one running. */
  interrupt(promptId?: string): Promise<void> {
    return this.http.empty('POST', '/interrupt', promptId ? { json: { prompt_id: promptId } } : {});
  }

  /** Removes pending prompts (running ones are not affected: use interrupt). */
  deleteQueued(promptIds: string[]): Promise<void> {
    return this.http.empty('POST', '/queue', { json: { delete: promptIds } });
  }

  clearQueue(): Promise<void> {
    return this.http.empty('POST', '/queue', { json: { clear: true } });
  }

  /** `freeMemory` also drops ComfyUI's node cache (the next identical prompt re-runs). */
  free(options: { unloadModels?: boolean; freeMemory?: boolean } = {}): Promise<void> {
    return this.http.empty('POST', '/free', { json: { unload_models: options.unloadModels ?? false, free_memory: options.freeMemory ?? false } });
  }

  // ---- files ----

  /** Uploads an image (a path, bytes or Blob) into the worker's input folder (or temp/output). */
  async uploadImage(data: string | Uint8Array | Blob, options: UploadOptions = {}): Promise<UploadedFile> {
    return this.upload('/upload/image', data, options);
  }

  /** Uploads a mask: its alpha replaces the alpha of `originalRef`, saved as a new PNG. */
  async uploadMask(data: string | Uint8Array | Blob, options: MaskUploadOptions): Promise<UploadedFile> {
    return this.upload('/upload/mask', data, options);
  }

  /** Streams `/view` of a file to `destPath` (atomic rename), hashing it on the way. */
  download(file: OutputFileRef, destPath: string): Promise<DownloadedFile> {
    return downloadToFile({
      url: this.viewUrl(file),
      workerUrl: this.url,
      headers: this.http.authHeaders,
      destPath,
      retries: this.options.downloadRetries,
      idleTimeoutMs: this.options.downloadIdleTimeoutMs,
      durable: this.options.durableDownloads,
      logger: this.options.logger,
    });
  }

  /** The `/api/view` URL of a file (carry the auth headers when fetching it yourself). */
  viewUrl(file: OutputFileRef): string {
    return this.http.url('/view', { filename: file.filename, subfolder: file.subfolder, type: file.type });
  }

  /**
   * Stops the socket and every watcher. Unfinished handles reject with COMFY_CLIENT_CLOSED;
   * their prompts keep running on the worker (follow them with attach from another client).
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const handle of this.router.all()) handle.stop();
    await this.socket?.close();
  }

  // ---- internals ----

  private async upload(route: string, data: string | Uint8Array | Blob, options: UploadOptions & { originalRef?: OutputFileRef }): Promise<UploadedFile> {
    const form = await uploadForm(data, options);
    const res = await this.http.json('POST', route, uploadResponseSchema, { body: form, timeoutMs: this.options.uploadTimeoutMs, timeoutKey: this.options.timeoutKeys.upload ?? 'client.uploadTimeoutMs' });
    return { name: res.name, subfolder: res.subfolder, type: res.type, inputValue: loadImageValue(res) };
  }

  private track(promptId: string, options: { timeoutMs?: number; live?: boolean }): ComfyJobHandle {
    const handle = new ComfyJobHandle(promptId, this.jobContext(), options);
    this.router.add(handle);
    this.socket?.retain();
    return handle;
  }

  private untrack(handle: ComfyJobHandle): void {
    this.router.remove(handle);
    this.socket?.release();
  }

  private jobContext(): JobContext {
    const o = this.options;
    return {
      url: this.url,
      clientId: this.clientId,
      logger: o.logger,
      silenceTimeoutMs: o.silenceTimeoutMs,
      pollIntervalMs: o.pollIntervalMs,
      unreachableTimeoutMs: o.unreachableTimeoutMs,
      historyEntry: (id) => this.historyEntry(id),
      queueSince: (since) => this.queueSince(since),
      deleteQueued: (ids) => this.deleteQueued(ids),
      interrupt: (id) => this.interrupt(id),
      cancelJob: async (id) => ((await this.protocol().catch(() => '0.3.64')) === 'current' ? this.cancelJob(id) : undefined),
      socket: this.socket,
      done: (h) => this.untrack(h),
    };
  }

  /** Many watchers share one `GET /queue`, but never one that started before they needed it. */
  private queueSince(since: number): Promise<QueueState> {
    const current = this.queueFetch;
    if (current && current.startedAt >= since) return current.promise;
    const startedAt = Date.now();
    const promise = this.http.json('GET', '/queue', queueSchema);
    const entry = { startedAt, promise };
    this.queueFetch = entry;
    const clear = () => {
      if (this.queueFetch === entry) this.queueFetch = undefined;
    };
    promise.then(clear, clear);
    return promise;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('ComfyClient is closed');
  }
}

export type { NodeId };
