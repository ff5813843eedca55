import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { writeFileAtomic } from '../atomic-write.js';

/** Every `--flag` an argparse help text names (usage line and option list). */
export function parseHelpFlags(help: string): Set<string> {
  const flags = new Set<string>();
  for (const match of help.matchAll(/(?:^|[\s,[|(])(--[A-Za-z0-9][\w-]*)/g)) flags.add(match[1]!);
  return flags;
}

/** The files whose change means a different command line: ComfyUI's entry point and its argparse module. */
async function versionStamp(comfyDir: string): Promise<string> {
  const parts: string[] = [];
  for (const file of ['main.py', path.join('comfy', 'cli_args.py')]) {
    try {
      parts.push(`${file}@${(await stat(path.join(comfyDir, file))).mtimeMs}`);
    } catch {
      parts.push(`${file}@-`);
    }
  }
  return parts.join(',');
}

const cacheSchema = z.record(z.string(), z.strictObject({ stamp: z.string(), flags: z.array(z.string()) }));

export interface SupportedFlagsOptions {
  python: string;
  comfyDir: string;
  /** JSON cache keyed by ComfyUI directory. */
  cacheFile: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * The flags this ComfyUI accepts, read from `<python> main.py --help` once per ComfyUI
 * directory and version stamp (mtimes of main.py and comfy/cli_args.py). Undefined when the
 * help cannot be read: then nothing is dropped and ComfyUI's own error will show at start.
 */
export async function supportedFlags(options: SupportedFlagsOptions): Promise<Set<string> | undefined> {
  const dir = path.resolve(options.comfyDir);
  const stamp = await versionStamp(dir);
  const cache = await readCache(options.cacheFile);
  const hit = cache[dir];
  if (hit && hit.stamp === stamp) return new Set(hit.flags);
  const help = await runHelp(options.python, dir, options.env ?? process.env, options.timeoutMs ?? 60_000);
  if (help === undefined) return undefined;
  const flags = parseHelpFlags(help);
  if (!flags.has('--port')) return undefined;
  await writeFileAtomic(options.cacheFile, `${JSON.stringify({ ...cache, [dir]: { stamp, flags: [...flags].sort() } }, null, 2)}\n`);
  return flags;
}

async function readCache(file: string): Promise<z.output<typeof cacheSchema>> {
  try {
    const parsed = cacheSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

function runHelp(python: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let out = '';
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(python, ['main.py', '--help'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch {
      resolve(undefined);
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr?.on('data', () => undefined);
    child.on('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? out : undefined);
    });
  });
}
