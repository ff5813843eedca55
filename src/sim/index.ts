import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { ComfyProtocol } from '../comfy/comfyui-version.js';
import { nodeSetOf, protocolOfNodeSet } from '../comfy/object-info/node-set-version.js';
import { applyModelLists } from '../comfy/object-info/model-lists.js';
import type { ObjectInfo } from '../comfy/object-info/types.js';
import { gpuProfile, isGpuProfileId, type GpuProfileId } from '../catalog/cost/gpu-profiles.js';
import { GpuState } from './cost/gpu-state.js';
import { createNodeExecutor } from './execution/create-node-executor.js';
import type { NodeExecutor } from './execution/node-executor.js';
import { Engine } from './engine/engine.js';
import { withEngineNodes } from './engine/websocket-image-node.js';
import type { GpuReport } from './engine/gpu-report.js';
import type { ChangeFingerprint } from './engine/output-cache.js';
import type { EmulatorStats } from './engine/stats.js';
import { FaultBook, type FaultRule } from './faults/fault-rule.js';
import { RouteTable } from './server/http-kit.js';
import { EmulatorHttpServer } from './server/http-server.js';
import { liveObjectInfo } from './server/live-object-info.js';
import { addFileRoutes, annotatedFilepath, type DataDirs } from './server/routes-files.js';
import { addInfoRoutes, MODEL_FOLDERS } from './server/routes-info.js';
import { addJobRoutes } from './server/routes-jobs.js';
import { addQueueRoutes } from './server/routes-queue.js';
import { addUserRoutes } from './server/routes-user.js';
import { SocketHub } from './server/socket-hub.js';
import { ensureDir } from '../platform/ensure-dir.js';
import { makeScratchDir } from '../platform/scratch-dir.js';

export type { FaultAction, FaultRule } from './faults/fault-rule.js';
export type { EmulatorStats, PromptStats } from './engine/stats.js';
export type { GpuProfileId } from '../catalog/cost/gpu-profiles.js';

export interface EmulatorOptions {
  host?: string;
  /** 0 (the default) = any free port. */
  port?: number;
  name?: string;
  profile?: GpuProfileId;
  /** Multiplies every simulated duration: 1 = real time, 0.01 = 100x faster, 0 = instant. */
  timeScale?: number;
  /**
   * Node definitions served and validated against; default: the node set of `comfyui` (current:
   * 0.3.64 core + newer core classes + the extra node packs; 0.3.64: without the newer core).
   */
  objectInfo?: ObjectInfo;
  /**
   * Which ComfyUI to be: '0.3.64' (the recorded protocol) or 'current' (Jobs API, UUID prompt
   * ids, current validation rules, version 0.38.1). Default: the version the node set matches
   * (`current` for the default node set).
   */
  comfyui?: ComfyProtocol;
  /** Model files per folder key (`checkpoints`, `loras`…), listed by /models and the loader combos. */
  models?: Record<string, string[]>;
  faults?: FaultRule[];
  /** ComfyUI's base directory (output/, temp/, input/); a temporary one, removed on close, when absent. */
  dataDir?: string;
  /** `--preview-method`: 'auto' sends binary sampler previews; default 'none' as ComfyUI. */
  previewMethod?: 'none' | 'auto';
  /** `--max-upload-size` in MB (default 100): larger request bodies are answered 413. */
  maxUploadMb?: number;
  /** GPUs to report in /system_stats (current ComfyUI lists every device; jobs run on the first). Default 1. */
  gpus?: number;
  /** Replaces the node executor (tests). */
  executor?: NodeExecutor;
}

export interface Emulator {
  url: string;
  /** The protocol served ('0.3.64' or 'current'). */
  comfyui: ComfyProtocol;
  port: number;
  name: string;
  stats: EmulatorStats;
  faults: { add(rule: FaultRule): void; clear(): void };
  sockets: { dropAll(): void; setSilent(silent: boolean): void };
  /** The base directory and its output/, input/, temp/ folders. */
  dataDir: string;
  dirs: DataDirs;
  close(): Promise<void>;
}

function gpuReport(gpu: GpuState): GpuReport {
  return {
    device: () => {
      const { loaded_models: _loaded, ...memory } = gpu.snapshot();
      const cpu = gpu.profile.deviceType === 'cpu';
      return { name: gpu.profile.deviceName, type: gpu.profile.deviceType, index: cpu ? null : 0, ...memory };
    },
    unloadAll: () => {
      gpu.unloadAll();
      gpu.freeMemory();
    },
  };
}

/** Where an annotated input name (`x.png`, `sub/x.png [output]`) lives on disk. */
function resolveAnnotated(name: string, dirs: DataDirs): string {
  const [bare, dir] = annotatedFilepath(name, dirs);
  return path.join(dir ?? dirs.input, bare);
}

/** IS_CHANGED of the nodes that define one: file hash for image loaders, mtime for video, always for SaveImageWebsocket. */
function changeFingerprint(dirs: DataDirs): ChangeFingerprint {
  let tick = 0;
  return (_nodeId, classType, inputs) => {
    try {
      if (classType === 'LoadImage' || classType === 'LoadImageMask') {
        return createHash('sha256').update(readFileSync(resolveAnnotated(String(inputs.image), dirs))).digest('hex');
      }
      if (classType === 'LoadImageOutput') {
        return createHash('sha256').update(readFileSync(resolveAnnotated(`${String(inputs.image)} [output]`, dirs))).digest('hex');
      }
      if (classType === 'LoadVideo') return String(statSync(resolveAnnotated(String(inputs.file), dirs)).mtimeMs);
    } catch {
      return null;
    }
    if (classType === 'SaveImageWebsocket') return `t${++tick}`;
    return undefined;
  };
}

async function prepareDirs(dataDir: string): Promise<DataDirs> {
  const dirs = { output: path.join(dataDir, 'output'), input: path.join(dataDir, 'input'), temp: path.join(dataDir, 'temp') };
  // ComfyUI wipes its temp directory at startup.
  await rm(dirs.temp, { recursive: true, force: true });
  for (const dir of Object.values(dirs)) await ensureDir(dir);
  const example = path.join(dirs.input, 'example.png');
  if (!existsSync(example)) {
    await writeFile(example, await sharp({ create: { width: 512, height: 512, channels: 3, background: { r: 120, g: 130, b: 150 } } }).png().toBuffer());
  }
  return dirs;
}

/**
 * Starts a ComfyUI 0.3.64-compatible server on loopback: the HTTP routes, the WebSocket
 * protocol, one-job-at-a-time execution with ComfyUI's caching and message order, and nodes
 * run by the emulator's executor on a simulated GPU.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await makeScratchDir('sim'));
  const dirs = await prepareDirs(dataDir);
  // ComfyUI lists model files sorted (`get_filename_list`), in /models and in loader combos.
  const models = Object.fromEntries(Object.entries(options.models ?? {}).map(([k, v]) => [k, [...v].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))]));
  const profileId = options.profile ?? 'rtx4090';
  const gpu = new GpuState(gpuProfile(isGpuProfileId(profileId) ? profileId : 'rtx4090'));
  const report = gpuReport(gpu);
  const timeScale = options.timeScale ?? 1;
  const comfyui: ComfyProtocol = options.comfyui ?? (options.objectInfo ? protocolOfNodeSet(options.objectInfo) : 'current');
  const baseInfo = applyModelLists(options.objectInfo ?? nodeSetOf(comfyui), models);
  const objectInfo = (): ObjectInfo => liveObjectInfo(baseInfo, dirs.input);
  const faults = new FaultBook(options.faults);
  const hub = new SocketHub();
  const placeholderPreview = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 96, g: 96, b: 110 } } }).jpeg().toBuffer();

  let crashed: Promise<void> | undefined;
  let port = 0;
  const engine = new Engine({
    sink: hub,
    objectInfo,
    executor: withEngineNodes(options.executor ?? createNodeExecutor({ gpu, timeScale })),
    faults,
    gpu: report,
    fingerprint: changeFingerprint(dirs),
    inputFileExists: (name) => {
      try {
        return statSync(resolveAnnotated(name, dirs)).isFile();
      } catch {
        return false;
      }
    },
    dirs,
    comfyui,
    timeScale,
    previewMethod: options.previewMethod ?? 'none',
    placeholderPreview,
    crash: () => {
      crashed ??= http.destroy();
    },
  });

  const routes = new RouteTable();
  addQueueRoutes(routes, engine);
  if (comfyui === 'current') addJobRoutes(routes, engine);
  addFileRoutes(routes, dirs);
  addUserRoutes(routes, { baseDir: dataDir, modelFolders: MODEL_FOLDERS });
  addInfoRoutes(routes, {
    comfyui,
    gpus: options.gpus ?? 1,
    objectInfo,
    models,
    gpu: report,
    baseDir: dataDir,
    argv: () => ['main.py', ...(gpu.profile.deviceType === 'cpu' ? ['--cpu'] : []), '--listen', host, '--port', String(port)],
  });
  const http = new EmulatorHttpServer({
    routes,
    ...(options.maxUploadMb !== undefined ? { maxBodyBytes: Math.round(options.maxUploadMb * 1024 * 1024) } : {}),
    onSocket: (ws, clientId) => {
      hub.attach(ws, clientId, (sid) => [{ type: 'status', data: { ...engine.statusData(), sid } }, ...engine.replayFor(sid)]);
    },
  });
  port = await http.listen(host, options.port ?? 0);
  engine.start();

  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    comfyui,
    port,
    name: options.name ?? `sim-${port}`,
    stats: engine.stats.stats,
    faults: { add: (rule) => faults.add(rule), clear: () => faults.clear() },
    sockets: { dropAll: () => hub.dropAll(), setSilent: (silent) => hub.setSilent(silent) },
    dataDir,
    dirs,
    close: () =>
      (closing ??= (async () => {
        await (crashed ?? http.destroy());
        await engine.stop();
        if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
      })()),
  };
}
