import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { StoryCoreError } from '../../errors/storycore-error.js';
import { defaultObjectInfo } from './load.js';
import { copyLiterals, parseKeepingLiterals } from '../py-literals.js';
import { parseObjectInfo } from './schema.js';
import type { ObjectInfo } from './types.js';

/**
 * Node schemas the recorded 0.3.64 snapshot lacks: core classes from newer ComfyUI and classes
 * from custom node packs. Each `assets/comfyui/nodes/<name>.json` is a pure object_info map;
 * `<name>.source.json` beside it says where it was transcribed from (see SOURCES.md there).
 */
export const EXTRA_NODES_DIR = fileURLToPath(new URL('../../../assets/comfyui/nodes/', import.meta.url));

/** The 0.3.64 snapshot's source; every class in it is attributed to this. */
export const CORE_SNAPSHOT = {
  pack: 'core',
  repository: 'https://github.com/Comfy-Org/ComfyUI',
  commit: 'a125cd84b054a57729b5eecab930ca9408719832',
} as const;

export interface NodePack {
  /** 'core' for built-in classes, else the custom node pack's name (its repository name). */
  pack: string;
  repository: string;
  commit: string;
}

const sourceSchema = z.object({
  pack: z.string().min(1),
  repository: z.url(),
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  note: z.string().optional(),
  replaces: z.array(z.string()).optional(),
  classes: z.record(
    z.string(),
    z.object({ path: z.string().min(1), commit: z.string().regex(/^[0-9a-f]{40}$/).optional(), repository: z.url().optional() }),
  ),
});
export type NodeSource = z.infer<typeof sourceSchema>;

export interface ExtraNodeFile {
  name: string;
  nodes: ObjectInfo;
  source: NodeSource;
}

let cachedFiles: ExtraNodeFile[] | undefined;
let cachedExtended: ObjectInfo | undefined;

function readJson(path: string): unknown {
  try {
    return parseKeepingLiterals(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new StoryCoreError('EXTRA_NODES_UNREADABLE', `cannot read node schema file ${path}`, {
      hint: 'the package assets are damaged; reinstall storycore',
      cause,
    });
  }
}

/** Every schema file with its provenance, validated; throws when a class lacks a source entry. */
export function extraNodeFiles(dir: string = EXTRA_NODES_DIR): ExtraNodeFile[] {
  if (dir === EXTRA_NODES_DIR && cachedFiles) return cachedFiles;
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.source.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
  const files = names.map((name) => {
    const raw = readJson(join(dir, `${name}.json`));
    const nodes = parseObjectInfo(raw);
    copyLiterals(raw, nodes);
    const source = sourceSchema.parse(readJson(join(dir, `${name}.source.json`)));
    for (const cls of Object.keys(nodes)) {
      if (!source.classes[cls]) {
        throw new StoryCoreError('EXTRA_NODES_UNSOURCED', `${name}.json defines ${cls} but ${name}.source.json does not name its source`, {
          hint: `add "${cls}": {"path": "<file in ${source.repository}>"} to ${name}.source.json`,
        });
      }
    }
    return { name, nodes, source };
  });
  if (dir === EXTRA_NODES_DIR) cachedFiles = files;
  return files;
}

/** All extra node defs merged (later files win on a clash; there is none today). */
export function extraNodeDefs(): ObjectInfo {
  const out: ObjectInfo = {};
  for (const file of extraNodeFiles()) Object.assign(out, file.nodes);
  return out;
}

/** The 0.3.64 snapshot overlaid with every extra def (whole-def replacement); parsed once. */
export function extendedObjectInfo(): ObjectInfo {
  cachedExtended ??= { ...defaultObjectInfo(), ...extraNodeDefs() };
  return cachedExtended;
}

/**
 * Which pack provides a class, so preflight can say what to install. A class the extra files
 * define wins over the snapshot (a newer core def still reports 'core' with the newer commit).
 */
export function nodePackOf(classType: string): NodePack | undefined {
  for (const { nodes, source } of extraNodeFiles()) {
    const entry = source.classes[classType];
    if (entry && nodes[classType]) {
      return { pack: source.pack, repository: entry.repository ?? source.repository, commit: entry.commit ?? source.commit };
    }
  }
  if (defaultObjectInfo()[classType]) return { ...CORE_SNAPSHOT };
  return undefined;
}

/** "install ComfyUI-Frame-Interpolation (https://github.com/…)" or "update ComfyUI …" for preflight messages. */
export function installHint(classType: string): string | undefined {
  const pack = nodePackOf(classType);
  if (!pack) return undefined;
  if (pack.pack === 'core') {
    return defaultObjectInfo()[classType] && !extraNodeDefs()[classType]
      ? undefined
      : // Where a schema was transcribed from (possibly a fork) is provenance; users update upstream.
        `update ComfyUI: ${classType} is newer than 0.3.64 (${CORE_SNAPSHOT.repository})`;
  }
  return `install ${pack.pack} (${pack.repository})`;
}
