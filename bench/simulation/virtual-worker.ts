import type { ApiGraph } from '../../src/comfy/graph.js';
import { isLink } from '../../src/comfy/graph.js';
import { applyModelLists } from '../../src/comfy/object-info/model-lists.js';
import type { ObjectInfo } from '../../src/comfy/object-info/types.js';
import { validatePrompt } from '../../src/comfy/validation/validate-prompt.js';
import { GpuState, type ModelRef } from '../../src/sim/cost/gpu-state.js';
import { GPU_PROFILES, withHostRam, type GpuProfileId } from '../../src/catalog/cost/gpu-profiles.js';
import { ClassicCache } from '../../src/sim/engine/output-cache.js';
import { createNodeExecutor } from '../../src/sim/execution/create-node-executor.js';
import type { NodeHandler } from '../../src/sim/execution/env.js';
import type { NodeExecutionContext, NodeExecutor } from '../../src/sim/execution/node-executor.js';
import { ImageValue } from '../../src/sim/execution/values.js';

/** GpuState that counts (re)loads: the emulator's residency, observed. */
class CountingGpuState extends GpuState {
  loads = 0;
  loadMs = 0;
  /** Part of `loadMs` spent reading files that were not in host RAM. */
  diskMs = 0;
  override ensureLoaded(ref: ModelRef): number {
    const fromDisk = !this.isResident(ref.key) && !this.isInRam(ref.key);
    const ms = super.ensureLoaded(ref);
    if (ms > 0) {
      this.loads += 1;
      this.loadMs += ms;
      if (fromDisk) this.diskMs += (ref.bytes / this.profile.diskBytesPerSec) * 1000;
    }
    return ms;
  }
  override readFromDisk(ref: ModelRef): number {
    const ms = super.readFromDisk(ref);
    this.loadMs += ms;
    this.diskMs += ms;
    return ms;
  }
}

/** What one run cost on a virtual worker, in simulated ms. */
export interface VirtualRun {
  totalMs: number;
  /** Part of `totalMs` spent loading weights (the executor's ensureLoaded charges). */
  loadMs: number;
  /** Model (re)loads during the run. */
  loads: number;
  /** Part of `loadMs` spent reading weights from disk (not in host RAM). */
  diskMs: number;
}

// Output and input files are the only I/O of the executor: the simulation keeps their cost
// (none: the emulator charges no simulated time for them) and skips the PNG/ffmpeg work.
const noOutput: NodeHandler = async () => ({ outputs: [], ui: {} });
const inputImage: NodeHandler = async (ctx) => {
  const image = new ImageValue(1280, 720, 1, [{ text: `input image: ${String(ctx.inputs.image)}`, nodeId: ctx.nodeId, classType: ctx.classType, frame: 0, width: 1280, height: 720 }]);
  return { outputs: ctx.def.output.map((t) => (t === 'IMAGE' ? image : undefined)) };
};
const IO_HANDLERS: Record<string, NodeHandler> = {
  SaveImage: noOutput,
  PreviewImage: noOutput,
  SaveVideo: noOutput,
  SaveAnimatedWEBP: noOutput,
  SaveWEBM: noOutput,
  VHS_VideoCombine: noOutput,
  LoadImage: inputImage,
};

/** Node ids in an order where every node follows the nodes it links from. */
function topologicalOrder(graph: ApiGraph): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  const visit = (id: string, stack: Set<string>): void => {
    if (done.has(id) || stack.has(id)) return;
    stack.add(id);
    for (const v of Object.values(graph[id]?.inputs ?? {})) if (isLink(v)) visit(v[0], stack);
    stack.delete(id);
    done.add(id);
    order.push(id);
  };
  for (const id of Object.keys(graph).sort((a, b) => Number(a) - Number(b) || a.localeCompare(b))) visit(id, new Set());
  return order;
}

/**
 * One emulated worker on a virtual clock: the emulator's own node executor, GPU cost model and
 * GpuState residency (and ComfyUI's node cache), run node by node with `spend` adding to a
 * counter instead of sleeping. The durations are exactly what `storycore sim` would take at
 * time scale 1, without the wall clock.
 */
export class VirtualWorker {
  readonly gpu: CountingGpuState;
  private readonly executor: NodeExecutor;
  private readonly cache = new ClassicCache();
  private readonly objectInfo: ObjectInfo;

  constructor(
    readonly name: string,
    readonly profile: GpuProfileId,
    objectInfo: ObjectInfo,
    /** Folder → files the worker has (its loader combos list exactly these, as on a real worker). */
    readonly models: Record<string, string[]>,
    /** System RAM of the box (default: the profile's typical figure). */
    hostRamBytes?: number,
  ) {
    this.objectInfo = applyModelLists(objectInfo, models);
    this.gpu = new CountingGpuState(hostRamBytes === undefined ? GPU_PROFILES[profile] : withHostRam(GPU_PROFILES[profile], hostRamBytes));
    this.executor = createNodeExecutor({ gpu: this.gpu, handlers: IO_HANDLERS, random: () => 0.5, now: () => new Date(0) });
  }

  /** Runs `graph` and returns its simulated cost; throws the node's failure (e.g. OOM) like the emulator would report it. */
  async run(graph: ApiGraph, promptId: string): Promise<VirtualRun> {
    const checked = validatePrompt(graph, this.objectInfo, { inputFileExists: () => true });
    if (!checked.ok) throw new Error(`graph of ${promptId} is invalid on ${this.name}: ${checked.error.message} ${JSON.stringify(checked.nodeErrors).slice(0, 400)}`);
    const prompt = checked.prompt;
    this.cache.setPrompt(prompt, this.objectInfo, () => undefined);
    const before = { loads: this.gpu.loads, loadMs: this.gpu.loadMs, diskMs: this.gpu.diskMs };
    let totalMs = 0;
    const values = new Map<string, unknown[]>();
    for (const nodeId of topologicalOrder(prompt)) {
      const node = prompt[nodeId]!;
      const cached = this.cache.get(nodeId);
      if (cached) {
        values.set(nodeId, cached.outputs);
        continue;
      }
      const inputs: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node.inputs ?? {})) inputs[k] = isLink(v) ? values.get(v[0])?.[v[1]] : v;
      const ctx: NodeExecutionContext = {
        promptId,
        nodeId,
        classType: node.class_type,
        def: this.objectInfo[node.class_type]!,
        inputs,
        graph: prompt,
        dirs: { output: '/nonexistent/output', temp: '/nonexistent/temp', input: '/nonexistent/input' },
        progress: () => undefined,
        spend: async (ms) => {
          totalMs += Math.max(0, ms);
        },
        throwIfInterrupted: () => undefined,
      };
      const result = await this.executor.execute(ctx);
      values.set(nodeId, result.outputs);
      this.cache.set(nodeId, { outputs: result.outputs });
    }
    return { totalMs, loadMs: this.gpu.loadMs - before.loadMs, loads: this.gpu.loads - before.loads, diskMs: this.gpu.diskMs - before.diskMs };
  }
}
