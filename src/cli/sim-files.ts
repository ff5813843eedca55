import { InputLimitError } from '../platform/errors/input-limit-error.js';
import { readBoundedText } from '../platform/bounded-file.js';
import { resolve } from 'node:path';
import * as z from 'zod';
import type { ObjectInfo } from '../comfy/object-info/types.js';
import { loadObjectInfoFile } from '../comfy/object-info/load.js';
import { GPU_PROFILES, isGpuProfileId, type GpuProfileId } from '../catalog/cost/gpu-profiles.js';
import type { FaultRule } from '../sim/faults/index.js';
import { SimOptionsError } from './errors/sim-options-error.js';

const modelsSchema = z.record(z.string(), z.array(z.string()));

const faultsSchema = z.array(
  z.strictObject({
    classType: z.string().min(1),
    whenInputs: z.record(z.string(), z.unknown()).optional(),
    times: z.number().int().min(1).optional(),
    action: z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('raise'), exceptionType: z.string().min(1), message: z.string() }),
      z.strictObject({ type: z.literal('delay'), ms: z.number().min(0) }),
      z.strictObject({ type: z.literal('crash') }),
      z.strictObject({ type: z.literal('hang') }),
    ]),
  }),
);

export function parseGpuProfile(value: string, from: string): GpuProfileId {
  if (isGpuProfileId(value)) return value;
  throw new SimOptionsError(`unknown GPU profile '${value}' (${from})`, `use one of ${Object.keys(GPU_PROFILES).join(', ')}`);
}

function readJson(path: string, cwd: string, what: string, example: string): unknown {
  let text: string;
  try {
    text = readBoundedText(resolve(cwd, path), path);
  } catch (cause) {
    if (cause instanceof InputLimitError) throw cause;
    throw new SimOptionsError(`cannot read ${what} file ${path}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, `check the path; expected ${example}`, cause);
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new SimOptionsError(`${what} file ${path} is not valid JSON: ${(cause as Error).message.split('\n')[0]}`, `expected ${example}`, cause);
  }
}

/** `{"checkpoints": ["a.safetensors"], "loras": [...]}`: the model files the emulator has. */
export function readModelsFile(path: string, cwd: string): Record<string, string[]> {
  const example = '{"checkpoints": ["v1-5-pruned-emaonly-fp16.safetensors"]}';
  const parsed = modelsSchema.safeParse(readJson(path, cwd, 'models', example));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SimOptionsError(`models file ${path}: ${issue?.path.join('.') || 'top level'}: ${issue?.message}`, `expected folder → list of file names, e.g. ${example}`);
  }
  return parsed.data;
}

/** A JSON list of fault rules (see docs/cli.md, `storycore sim --faults`). */
export function readFaultsFile(path: string, cwd: string): FaultRule[] {
  const example = '[{"classType": "KSampler", "action": {"type": "raise", "exceptionType": "RuntimeError", "message": "boom"}, "times": 1}]';
  const parsed = faultsSchema.safeParse(readJson(path, cwd, 'faults', example));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SimOptionsError(`faults file ${path}: ${issue?.path.join('.') || 'top level'}: ${issue?.message}`, `expected a list of rules, e.g. ${example}`);
  }
  return parsed.data as FaultRule[];
}

export function readObjectInfoFile(path: string, cwd: string): ObjectInfo {
  return loadObjectInfoFile(resolve(cwd, path));
}
