import { GPU_PROFILES } from '../../src/catalog/cost/gpu-profiles.js';
import { feasibility } from '../../src/scheduler/router/feasibility.js';
import type { DispatchPolicy, SimView, SimWorkerState } from './simulate.js';

/*
 * Baselines copied from the tools the issue names, as they behave with no knowledge of models,
 * speeds or durations. Each still skips a worker that cannot run a task at all (a generous
 * reading: those tools would fail the prompt there instead).
 */

const can = (view: SimView, w: SimWorkerState, taskIndex: number): boolean => feasibility(view.ready[taskIndex]!, view.inventory(w)).ok;

/** Plain ComfyUI: one server, one FIFO queue: every task to the fastest GPU of the pool. */
export function comfyFifo(): DispatchPolicy {
  return {
    name: 'baseline: one ComfyUI FIFO (fastest GPU)',
    dispatch(view) {
      const target = [...view.workers].sort((a, b) => GPU_PROFILES[b.spec.profile].speed - GPU_PROFILES[a.spec.profile].speed)[0]!;
      return view.ready.map((t) => ({ taskId: t.id, worker: target.spec.name }));
    },
  };
}

/** @saintno/comfyui-sdk PICK_ZERO: a job waits for a client with an empty queue (list order). */
export function firstIdle(): DispatchPolicy {
  return {
    name: 'baseline: first idle (sdk PICK_ZERO)',
    dispatch(view) {
      const out: Array<{ taskId: string; worker: string }> = [];
      const taken = new Set<number>();
      for (const w of view.workers) {
        if (w.queue.length > 0) continue;
        const i = view.ready.findIndex((_, k) => !taken.has(k) && can(view, w, k));
        if (i < 0) continue;
        taken.add(i);
        out.push({ taskId: view.ready[i]!.id, worker: w.spec.name });
      }
      return out;
    },
  };
}

/** @saintno/comfyui-sdk PICK_LOWEST: each job at once to the client with the fewest queued prompts. */
export function lowestQueue(): DispatchPolicy {
  return {
    name: 'baseline: lowest queue (sdk PICK_LOWEST)',
    dispatch(view) {
      const lengths = new Map(view.workers.map((w) => [w.spec.name, w.queue.length]));
      return view.ready.flatMap((t, k) => {
        const options = view.workers.filter((w) => can(view, w, k));
        if (options.length === 0) return [];
        const w = options.reduce((a, b) => (lengths.get(b.spec.name)! < lengths.get(a.spec.name)! ? b : a));
        lengths.set(w.spec.name, lengths.get(w.spec.name)! + 1);
        return [{ taskId: t.id, worker: w.spec.name }];
      });
    },
  };
}

/** @saintno/comfyui-sdk PICK_ROUTINE: each job at once to the next client in turn. */
export function roundRobinPush(): DispatchPolicy {
  let next = 0;
  return {
    name: 'baseline: round-robin (sdk PICK_ROUTINE)',
    dispatch(view) {
      return view.ready.flatMap((t, k) => {
        for (let tries = 0; tries < view.workers.length; tries += 1) {
          const w = view.workers[next % view.workers.length]!;
          next += 1;
          if (can(view, w, k)) return [{ taskId: t.id, worker: w.spec.name }];
        }
        return [];
      });
    },
  };
}

/**
 * SwarmUI-style: a backend runs one generation at a time; a request takes a free backend that
 * has its model loaded, else the free backend used least so far (list order on ties), else
 * waits for one to free.
 */
export function loadedModelElseLeastUsed(): DispatchPolicy {
  return {
    name: 'baseline: loaded model, else least used (SwarmUI)',
    dispatch(view) {
      const out: Array<{ taskId: string; worker: string }> = [];
      const busy = new Set(view.workers.filter((w) => w.queue.length > 0).map((w) => w.spec.name));
      view.ready.forEach((t, k) => {
        const free = view.workers.filter((w) => !busy.has(w.spec.name) && can(view, w, k));
        if (free.length === 0) return;
        const model = t.models.find((m) => m.folder === 'diffusion_models' || m.folder === 'checkpoints')?.file;
        const loaded = free.find((w) => model !== undefined && w.lastModel === model);
        const w = loaded ?? free.reduce((a, b) => (b.started < a.started ? b : a));
        busy.add(w.spec.name);
        out.push({ taskId: t.id, worker: w.spec.name });
      });
      return out;
    },
  };
}

export const BASELINES = { comfyFifo, firstIdle, lowestQueue, roundRobinPush, loadedModelElseLeastUsed };
