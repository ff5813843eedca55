import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { InputSpec, NodeDef, ObjectInfo } from '../../comfy/object-info/types.js';
import { guessMime } from './routes-files.js';

const UPLOAD_KINDS: Array<[string, string]> = [
  ['image_upload', 'image/'],
  ['video_upload', 'video/'],
  ['audio_upload', 'audio/'],
];

function inputFiles(inputDir: string, mimePrefix: string): string[] {
  let names: string[];
  try {
    names = readdirSync(inputDir);
  } catch {
    return [];
  }
  return names
    .filter((name) => (guessMime(name) ?? '').startsWith(mimePrefix))
    .filter((name) => {
      try {
        return statSync(path.join(inputDir, name)).isFile();
      } catch {
        return false;
      }
    })
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function withFiles(spec: InputSpec, files: string[]): InputSpec {
  const [type, options] = spec;
  if (Array.isArray(type)) return [files, ...(options ? [options] : [])] as InputSpec;
  if (type === 'COMBO' && options) return ['COMBO', { ...options, options: files }];
  return spec;
}

/**
 * object_info as served right now: upload combos (LoadImage's `image`, LoadVideo's `file`…)
 * list the files currently in input/, as ComfyUI re-reads the folder on every request.
 */
export function liveObjectInfo(base: ObjectInfo, inputDir: string): ObjectInfo {
  const out: ObjectInfo = { ...base };
  for (const [name, def] of Object.entries(base)) {
    let changed: NodeDef | undefined;
    for (const section of ['required', 'optional'] as const) {
      for (const [inputName, spec] of Object.entries(def.input[section] ?? {})) {
        const kind = UPLOAD_KINDS.find(([flag]) => spec[1]?.[flag] === true);
        if (!kind || spec[1]?.image_folder !== undefined || spec[1]?.remote !== undefined) continue;
        changed ??= { ...def, input: { ...def.input, required: { ...def.input.required }, ...(def.input.optional ? { optional: { ...def.input.optional } } : {}) } };
        const target = changed.input[section] as Record<string, InputSpec>;
        target[inputName] = withFiles(spec, inputFiles(inputDir, kind[1]));
      }
    }
    if (changed) {
      if (!def.input.required) delete changed.input.required;
      out[name] = changed;
    }
  }
  return out;
}
