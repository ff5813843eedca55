import type { ComfyClient } from '../../comfy/client/comfy-client.js';
import { modelInputFolder } from '../../comfy/object-info/model-lists.js';
import type { InputSpec, ObjectInfo } from '../../comfy/object-info/types.js';
import { FOLDERS } from '../models/model.js';
import type { WorkerInventory } from './types.js';

/**
 * The model folders the catalogue knows that a worker can list through `GET /models/<folder>`.
 * RIFE checkpoints live in the Frame-Interpolation pack's own directory, which no route lists.
 */
export const LISTABLE_FOLDERS: readonly string[] = FOLDERS.filter((f) => !f.includes('/'));

/** The subset of ComfyClient an inventory needs (a fake in tests, the real client otherwise). */
export type InventorySource = Pick<ComfyClient, 'objectInfo' | 'models' | 'systemStats'> & { endpoint?: { url: string; name?: string } };

/**
 * Gathers a worker's inventory: `/object_info`, `/system_stats` (GPU name and VRAM) and the
 * files of every catalogue folder the worker lists in `/models`.
 *
 * @example
 * const inventory = await inventoryFromWorker(new ComfyClient(url, { socket: false }));
 */
export async function inventoryFromWorker(client: InventorySource, name?: string): Promise<WorkerInventory> {
  const [objectInfo, folders, stats] = await Promise.all([client.objectInfo(), client.models(), client.systemStats()]);
  const wanted = LISTABLE_FOLDERS.filter((f) => folders.includes(f));
  const lists = await Promise.all(wanted.map((folder) => client.models(folder)));
  const models: Record<string, string[]> = {};
  wanted.forEach((folder, i) => {
    models[folder] = lists[i]!;
  });
  const device = stats.devices[0];
  const url = client.endpoint?.url ?? '';
  return {
    name: name ?? client.endpoint?.name ?? url,
    url,
    objectInfo,
    models,
    // ComfyUI --cpu reports system RAM as the device's vram_total: the memory the run must fit in.
    ...(device ? { vramBytes: device.vram_total, deviceType: device.type } : {}),
    ...(device && device.type !== 'cpu' ? { gpuName: gpuNameOf(device.name) } : {}),
  };
}

/** "cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync" → "NVIDIA GeForce RTX 4090". */
function gpuNameOf(deviceName: string): string {
  return deviceName.replace(/^[a-z]+:\d+\s+/, '').replace(/\s+:\s+\S+$/, '');
}

export interface OfflineInventoryOptions {
  name?: string;
  url?: string;
  /** Folder → files; default: read from the loader lists of the object_info itself. */
  models?: Record<string, string[]>;
  vramBytes?: number;
  gpuName?: string;
}

/**
 * An inventory for offline checks from an object_info saved from a worker. A real worker's
 * loader lists (ckpt_name, unet_name, …) name the files it has, so the model folders are read
 * from them unless `models` is given.
 */
export function inventoryFromObjectInfo(objectInfo: ObjectInfo, options: OfflineInventoryOptions = {}): WorkerInventory {
  return {
    name: options.name ?? 'offline',
    url: options.url ?? '',
    objectInfo,
    models: options.models ?? modelsFromObjectInfo(objectInfo),
    ...(options.vramBytes !== undefined ? { vramBytes: options.vramBytes } : {}),
    ...(options.gpuName !== undefined ? { gpuName: options.gpuName } : {}),
  };
}

function comboValues(spec: InputSpec | undefined): unknown[] | undefined {
  if (!spec) return undefined;
  if (Array.isArray(spec[0])) return spec[0];
  if (spec[0] === 'COMBO' && Array.isArray(spec[1]?.options)) return spec[1].options;
  return undefined;
}

const TAESD = new Set(['taesd', 'taesdxl', 'taesd3', 'taef1']);

/** Folder → files as the loader combos of an object_info list them (VAELoader's extras dropped). */
export function modelsFromObjectInfo(objectInfo: ObjectInfo): Record<string, string[]> {
  const found: Record<string, Set<string>> = {};
  for (const [classType, def] of Object.entries(objectInfo)) {
    for (const group of [def.input.required, def.input.optional]) {
      for (const [inputName, spec] of Object.entries(group ?? {})) {
        const folder = modelInputFolder(classType, inputName, def);
        const values = folder ? comboValues(spec) : undefined;
        if (!folder || !values) continue;
        const set = (found[folder] ??= new Set());
        for (const v of values) {
          if (typeof v !== 'string') continue;
          if (classType === 'VAELoader' && TAESD.has(v)) {
            // VAELoader lists a TAESD pair by name when both halves are in vae_approx.
            const approx = (found.vae_approx ??= new Set());
            approx.add(`${v}_encoder.safetensors`).add(`${v}_decoder.safetensors`);
            continue;
          }
          if (classType === 'VAELoader' && v === 'pixel_space') continue;
          if (classType === 'TrainLoraNode' && v === '[None]') continue;
          set.add(v);
        }
      }
    }
  }
  return Object.fromEntries(Object.entries(found).map(([k, v]) => [k, [...v].sort()]));
}
