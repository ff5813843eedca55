import type { GpuState } from '../cost/gpu-state.js';
import type { CardRenderer } from '../render/card.js';
import type { NodeExecutionContext, NodeExecutionResult } from './node-executor.js';

/** What node handlers share across executions of one emulated server. */
export interface ExecutionEnv {
  gpu: GpuState;
  cards: CardRenderer;
  /** Source of PreviewImage's random suffixes; injectable for tests. */
  random: () => number;
  now: () => Date;
  /** Per node id state that ComfyUI keeps on the node object (PreviewImage's prefix). */
  nodeState: Map<string, Record<string, unknown>>;
}

export type NodeHandler = (ctx: NodeExecutionContext, env: ExecutionEnv) => Promise<NodeExecutionResult>;

export function num(ctx: NodeExecutionContext, name: string, fallback: number): number {
  const v = ctx.inputs[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'boolean' ? Number(v) : fallback;
}

export function str(ctx: NodeExecutionContext, name: string, fallback = ''): string {
  const v = ctx.inputs[name];
  return typeof v === 'string' ? v : fallback;
}

/** The input `name` when it is an instance of `cls`. */
export function input<T>(ctx: NodeExecutionContext, name: string, cls: abstract new (...args: never[]) => T): T | undefined {
  const v = ctx.inputs[name];
  return v instanceof cls ? v : undefined;
}

/** First input (in declaration order) that is an instance of `cls`. */
export function firstOf<T>(ctx: NodeExecutionContext, cls: abstract new (...args: never[]) => T): T | undefined {
  for (const name of inputOrder(ctx)) {
    const v = ctx.inputs[name];
    if (v instanceof cls) return v;
  }
  return undefined;
}

/** Input names in the node definition's order, then any extras. */
export function inputOrder(ctx: NodeExecutionContext): string[] {
  const declared = [...Object.keys(ctx.def.input.required ?? {}), ...Object.keys(ctx.def.input.optional ?? {})];
  return [...declared, ...Object.keys(ctx.inputs).filter((k) => !declared.includes(k))];
}

/** Spends `ms` (if any) through the engine's clock. */
export async function spend(ctx: NodeExecutionContext, ms: number): Promise<void> {
  if (ms > 0) await ctx.spend(ms);
}
