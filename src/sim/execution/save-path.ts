import { readdirSync } from 'node:fs';
import { isAbsolute, join, normalize, posix, relative, sep } from 'node:path';
import { NodeFailure } from './node-executor.js';
import { ensureDirSync } from '../../platform/ensure-dir.js';

export interface SavePath {
  /** Absolute folder the file goes to. */
  folder: string;
  /** Base name without counter (`rc` for prefix `fixture/rc`). */
  filename: string;
  /** First free counter: 1 + highest existing counter for this prefix in `folder`. */
  counter: number;
  /** `fixture` for prefix `fixture/rc`; '' at top level. Always with '/' separators. */
  subfolder: string;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** ComfyUI's `%width%`, `%height%`, `%year%`… substitutions (done only when the prefix has a '%'). */
function computeVars(prefix: string, width: number, height: number, now: Date): string {
  return prefix
    .replaceAll('%width%', String(width))
    .replaceAll('%height%', String(height))
    .replaceAll('%year%', String(now.getFullYear()))
    .replaceAll('%month%', pad2(now.getMonth() + 1))
    .replaceAll('%day%', pad2(now.getDate()))
    .replaceAll('%hour%', pad2(now.getHours()))
    .replaceAll('%minute%', pad2(now.getMinutes()))
    .replaceAll('%second%', pad2(now.getSeconds()));
}

function splitPrefix(prefix: string, root: string): { folder: string; filename: string; subfolder: string } {
  const norm = posix.normalize(prefix.replaceAll('\\', '/'));
  const cut = norm.lastIndexOf('/');
  const subfolder = cut >= 0 ? norm.slice(0, cut) : '';
  const filename = cut >= 0 ? norm.slice(cut + 1) : norm;
  const folder = normalize(join(root, subfolder));
  const rel = relative(root, folder);
  if (rel.startsWith('..') || isAbsolute(rel) || isAbsolute(subfolder)) {
    throw new NodeFailure(
      'Exception',
      `**** ERROR: Saving image outside the output folder is not allowed.\n full_output_folder: ${folder}\n         output_dir: ${root}\n         commonpath: ${commonPath(root, folder)}`,
    );
  }
  return { folder, filename, subfolder: subfolder === '.' ? '' : subfolder.split(sep).join('/') };
}

function commonPath(a: string, b: string): string {
  const pa = a.split(sep);
  const pb = b.split(sep);
  const out: string[] = [];
  for (let i = 0; i < Math.min(pa.length, pb.length) && pa[i] === pb[i]; i += 1) out.push(pa[i]!);
  return out.join(sep) || sep;
}

function listOrCreate(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    ensureDirSync(folder);
    return [];
  }
}

/**
 * `folder_paths.get_save_image_path`: splits the prefix into subfolder and name, refuses
 * paths that leave the root, and finds the next counter among files named
 * `<name>_<digits>_…` (names compared exactly, as `os.path.normcase` does on POSIX).
 */
export function saveImagePath(prefix: string, root: string, width = 0, height = 0, now = new Date()): SavePath {
  const expanded = prefix.includes('%') ? computeVars(prefix, width, height, now) : prefix;
  const { folder, filename, subfolder } = splitPrefix(expanded, root);
  const nameLen = filename.length;
  let max = 0;
  for (const file of listOrCreate(folder)) {
    const head = file.slice(0, nameLen + 1);
    if (head.slice(0, -1) !== filename || head.at(-1) !== '_') continue;
    const digits = Number.parseInt(file.slice(nameLen + 1).split('_')[0]!, 10);
    const value = /^\d+$/.test(file.slice(nameLen + 1).split('_')[0]!) ? digits : 0;
    max = Math.max(max, value);
  }
  return { folder, filename, counter: max + 1, subfolder };
}

/** VideoHelperSuite's counter: highest `<name>_<digits><non-digits>.<ext>` + 1, case-insensitive. */
export function vhsSavePath(prefix: string, root: string): SavePath {
  const { folder, filename, subfolder } = splitPrefix(prefix, root);
  const escaped = filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const matcher = new RegExp(`^${escaped}_(\\d+)\\D*\\..+$`, 'i');
  let max = 0;
  for (const file of listOrCreate(folder)) {
    const m = matcher.exec(file);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return { folder, filename, counter: max + 1, subfolder };
}

/** `00001` */
export function counterText(counter: number): string {
  return String(counter).padStart(5, '0');
}
