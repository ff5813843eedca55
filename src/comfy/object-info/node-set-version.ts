import type { ComfyProtocol } from '../comfyui-version.js';
import { extendedObjectInfo, extraNodeFiles } from './extra-nodes.js';
import { defaultObjectInfo } from './load.js';
import type { ObjectInfo } from './types.js';

/** Core classes newer than the 0.3.64 snapshot (core-newer.json minus the defs it only updates). */
export function newerCoreClasses(): string[] {
  const recorded = defaultObjectInfo();
  return extraNodeFiles()
    .filter((file) => file.source.pack === 'core')
    .flatMap((file) => Object.keys(file.nodes))
    .filter((cls) => !Object.hasOwn(recorded, cls));
}

/** The protocol a node set belongs to: one with any core class newer than 0.3.64 is `current`. */
export function protocolOfNodeSet(objectInfo: ObjectInfo): ComfyProtocol {
  return newerCoreClasses().some((cls) => Object.hasOwn(objectInfo, cls)) ? 'current' : '0.3.64';
}

/**
 * The node set a ComfyUI of that protocol serves: `current` = 0.3.64 core + newer core +
 * the custom packs; `0.3.64` = the same without the newer core classes (and with the 0.3.64
 * defs of classes the newer core only updates).
 */
export function nodeSetOf(protocol: ComfyProtocol): ObjectInfo {
  const extended = extendedObjectInfo();
  if (protocol === 'current') return extended;
  const recorded = defaultObjectInfo();
  const newer = new Set(newerCoreClasses());
  const out: ObjectInfo = {};
  for (const [cls, def] of Object.entries(extended)) {
    if (newer.has(cls)) continue;
    out[cls] = Object.hasOwn(recorded, cls) ? recorded[cls]! : def;
  }
  return out;
}
