import path from 'node:path';
import type { WorkerEndpoint } from '../comfy/client/endpoint.js';
import { ConfiguredWorkerError } from './errors/configured-worker-error.js';
import { DuplicateWorkerError } from './errors/duplicate-worker-error.js';
import { UnknownWorkerError } from './errors/unknown-worker-error.js';
import { readWorkerList, writeWorkerList, type LastKnownHealth, type LocalWorker, type WorkerListFile } from './worker-list-file.js';
import { defaultNameFor, normalizeWorkerUrl } from './worker-url.js';

export type WorkerAuth = { type: 'bearer'; token: string } | { type: 'basic'; username: string; password: string };

/** A worker as the config file declares it (the shape of `workers:` entries after parsing). */
export interface ConfiguredWorker {
  name: string;
  url: string;
  auth?: WorkerAuth;
  headers?: Record<string, string>;
  tags?: string[];
  maxQueued?: number;
}

/** One registered worker, with its secrets: for building clients, never for printing. */
export interface WorkerEntry {
  name: string;
  url: string;
  source: 'config' | 'local';
  auth?: WorkerAuth;
  headers?: Record<string, string>;
  tags: string[];
  maxQueued: number;
}

/** What may be shown of a worker: auth reduced to its kind, header values left out. */
export interface WorkerSummary {
  name: string;
  url: string;
  source: 'config' | 'local';
  tags: string[];
  maxQueued: number;
  auth: 'none' | 'bearer' | 'basic';
  headers: string[];
  lastKnown?: LastKnownHealth;
}

export interface AddWorkerInput {
  url: string;
  name?: string;
  tags?: string[];
  /** A bearer token sent as `Authorization: Bearer …`. */
  token?: string;
  maxQueued?: number;
}

export interface RegistryOptions {
  /** `<dataDir>/workers.json`. */
  file: string;
  configured?: readonly ConfiguredWorker[];
  /** Named in the hint when someone tries to remove a configured worker. */
  configFile?: string;
  now?: () => Date;
}

const DEFAULT_MAX_QUEUED = 2;

/**
 * Every worker StoryCore knows: those of the config file (read-only here) and those added
 * with `storycore workers add` (kept in `<dataDir>/workers.json`). Names are unique across
 * both; a local worker never shadows a configured one.
 *
 * @example
 * const registry = await WorkerRegistry.open({ file: workersFile(dataDir), configured: config.workers });
 * await registry.add({ url: 'http://10.0.0.5:8188', name: 'gpu-5', tags: ['flux'] });
 */
export class WorkerRegistry {
  private list: WorkerListFile;

  private constructor(
    private readonly options: RegistryOptions,
    list: WorkerListFile,
  ) {
    this.list = list;
  }

  static async open(options: RegistryOptions): Promise<WorkerRegistry> {
    return new WorkerRegistry(options, await readWorkerList(options.file));
  }

  get file(): string {
    return this.options.file;
  }

  /** Configured workers first (config order), then local ones (order added). */
  entries(): WorkerEntry[] {
    const configured = (this.options.configured ?? []).map((w): WorkerEntry => ({
      name: w.name,
      url: w.url.replace(/\/+$/, ''),
      source: 'config',
      ...(w.auth ? { auth: w.auth } : {}),
      ...(w.headers && Object.keys(w.headers).length > 0 ? { headers: w.headers } : {}),
      tags: w.tags ?? [],
      maxQueued: w.maxQueued ?? DEFAULT_MAX_QUEUED,
    }));
    const local = this.list.workers.map((w): WorkerEntry => ({
      name: w.name,
      url: w.url,
      source: 'local',
      ...(w.auth ? { auth: w.auth } : {}),
      tags: w.tags,
      maxQueued: w.maxQueued,
    }));
    return [...configured, ...local];
  }

  get(name: string): WorkerEntry {
    const entry = this.entries().find((w) => w.name === name);
    if (!entry) throw new UnknownWorkerError(name, this.entries().map((w) => w.name));
    return entry;
  }

  has(name: string): boolean {
    return this.entries().some((w) => w.name === name);
  }

  /** The endpoint a ComfyClient needs, credentials included. */
  endpoint(name: string): WorkerEndpoint {
    return toEndpoint(this.get(name));
  }

  summaries(): WorkerSummary[] {
    return this.entries().map((entry) => summarize(entry, this.list.lastKnown[entry.name]));
  }

  async add(input: AddWorkerInput): Promise<WorkerSummary> {
    const url = normalizeWorkerUrl(input.url);
    const name = input.name?.trim() || defaultNameFor(url);
    const entries = this.entries();
    if (entries.some((w) => w.name === name)) throw new DuplicateWorkerError('name', name, name);
    const sameUrl = entries.find((w) => w.url === url);
    if (sameUrl) throw new DuplicateWorkerError('url', url, sameUrl.name);
    const worker: LocalWorker = {
      name,
      url,
      ...(input.token ? { auth: { type: 'bearer' as const, token: input.token } } : {}),
      tags: [...new Set(input.tags ?? [])],
      maxQueued: input.maxQueued ?? DEFAULT_MAX_QUEUED,
      addedAt: this.now().toISOString(),
    };
    await this.save({ ...this.list, workers: [...this.list.workers, worker] });
    return this.summaries().find((s) => s.name === name)!;
  }

  async remove(name: string): Promise<void> {
    const entry = this.get(name);
    if (entry.source === 'config') throw new ConfiguredWorkerError(name, this.options.configFile);
    const { [name]: _dropped, ...lastKnown } = this.list.lastKnown;
    await this.save({ ...this.list, workers: this.list.workers.filter((w) => w.name !== name), lastKnown });
  }

  lastKnown(name: string): LastKnownHealth | undefined {
    return this.list.lastKnown[name];
  }

  /** Remembers how workers were last seen (for `workers list` without probing). */
  async recordHealth(seen: Record<string, LastKnownHealth>): Promise<void> {
    const known = new Set(this.entries().map((w) => w.name));
    const updates = Object.fromEntries(Object.entries(seen).filter(([name]) => known.has(name)));
    await this.save({ ...this.list, lastKnown: { ...this.list.lastKnown, ...updates } });
  }

  private async save(next: WorkerListFile): Promise<void> {
    await writeWorkerList(this.options.file, next);
    this.list = next;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

/** Where the local worker list lives under a data directory. */
export function workersFile(dataDir: string): string {
  return path.join(dataDir, 'workers.json');
}

export function toEndpoint(entry: WorkerEntry): WorkerEndpoint {
  return {
    url: entry.url,
    name: entry.name,
    ...(entry.auth ? { auth: entry.auth } : {}),
    ...(entry.headers ? { headers: entry.headers } : {}),
  };
}

export function summarize(entry: WorkerEntry, lastKnown?: LastKnownHealth): WorkerSummary {
  return {
    name: entry.name,
    url: entry.url,
    source: entry.source,
    tags: entry.tags,
    maxQueued: entry.maxQueued,
    auth: entry.auth?.type ?? 'none',
    headers: Object.keys(entry.headers ?? {}),
    ...(lastKnown ? { lastKnown } : {}),
  };
}
