import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Real ComfyUI 0.3.64 on CPU, from the kit in `../shared/real-comfyui/` (see its README).
 *
 * `.ci/run` runs the kit's `setup.sh` twice — once with the four custom node packs, once without
 * — and exports:
 *   STORYCORE_REAL_COMFYUI_KIT              the kit folder
 *   STORYCORE_REAL_COMFYUI_WORKDIR          a setup.sh WORKDIR with every pack
 *   STORYCORE_REAL_COMFYUI_WORKDIR_NOPACKS  a setup.sh WORKDIR with no packs (conformance)
 * Locally, unset variables skip the tests with a message saying how to enable them; under
 * STORYCORE_REQUIRE_SERVICES=1 they fail instead.
 *
 * Every server started here gets its own fresh input/output/temp/user folders (the install's
 * input/ is copied in), so tests running in parallel never see each other's files and each
 * server starts as the recordings were made, with no reset.sh between runs.
 */
export type RealComfyKind = 'packs' | 'nopacks';

export interface RealComfyUI {
  url: string;
  port: number;
  workdir: string;
  /** This server's own folders. */
  dirs: { input: string; output: string; temp: string; user: string };
  hashSeed: number | undefined;
  stop(): Promise<void>;
}

function workdirFor(kind: RealComfyKind): string | undefined {
  const v = kind === 'packs'
    ? process.env.STORYCORE_REAL_COMFYUI_WORKDIR
    : process.env.STORYCORE_REAL_COMFYUI_WORKDIR_NOPACKS;
  return v ? resolve(v) : undefined;
}

function kitDir(): string | undefined {
  const v = process.env.STORYCORE_REAL_COMFYUI_KIT;
  return v ? resolve(v) : undefined;
}

const HOW_TO = 'set STORYCORE_REAL_COMFYUI_KIT=../shared/real-comfyui and run its setup.sh into '
  + 'STORYCORE_REAL_COMFYUI_WORKDIR (with packs) and STORYCORE_REAL_COMFYUI_WORKDIR_NOPACKS (WITH_PACKS=0), as .ci/run does';

/**
 * Use in `describe.skipIf(missingRealComfyUI('nopacks'))`. Returns true (and warns) when the
 * kit is not set up locally; throws under STORYCORE_REQUIRE_SERVICES=1.
 */
export function missingRealComfyUI(kind: RealComfyKind = 'packs'): boolean {
  const kit = kitDir();
  const wd = workdirFor(kind);
  let problem: string | undefined;
  if (!kit || !existsSync(join(kit, 'start.sh'))) problem = 'the real-ComfyUI kit is not configured';
  else if (!wd || !existsSync(join(wd, 'ComfyUI', 'main.py'))) problem = `no real-ComfyUI install (${kind})`;
  if (!problem) return false;
  if (process.env.STORYCORE_REQUIRE_SERVICES === '1') {
    throw new Error(`real ComfyUI is required (STORYCORE_REQUIRE_SERVICES=1): ${problem}; ${HOW_TO}`);
  }
  console.warn(`skipping real-ComfyUI tests: ${problem}; ${HOW_TO}`);
  return true;
}

/** A free loopback TCP port. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts a real ComfyUI on a free loopback port with its own folders. `hashSeed` fixes
 * PYTHONHASHSEED (ComfyUI's order of independent output nodes depends on it).
 * Call `stop()` in afterAll; it also removes the server's folders.
 */
export async function startRealComfyUI(options: {
  kind?: RealComfyKind;
  hashSeed?: number;
  extraArgs?: string[];
} = {}): Promise<RealComfyUI> {
  const kind = options.kind ?? 'packs';
  const kit = kitDir();
  const workdir = workdirFor(kind);
  if (!kit || !workdir) throw new Error(`real ComfyUI (${kind}) is not set up: ${HOW_TO}`);
  const base = mkdtempSync(join(tmpdir(), 'storycore-realcomfy-'));
  const dirs = {
    input: join(base, 'input'), output: join(base, 'output'),
    temp: join(base, 'temp'), user: join(base, 'user'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const installedInput = join(workdir, 'ComfyUI', 'input');
  if (existsSync(installedInput)) cpSync(installedInput, dirs.input, { recursive: true });

  const env: NodeJS.ProcessEnv = { ...process.env, START_TIMEOUT: process.env.START_TIMEOUT ?? '180' };
  if (options.hashSeed === undefined) delete env.PYTHONHASHSEED;
  else env.PYTHONHASHSEED = String(options.hashSeed);

  let port = 0;
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    port = await freePort();
    try {
      await run('bash', [join(kit, 'start.sh'), workdir, String(port), '--',
        '--input-directory', dirs.input, '--output-directory', dirs.output,
        '--temp-directory', dirs.temp, '--user-directory', dirs.user,
        ...(options.extraArgs ?? [])], { env, timeout: 240_000 });
      lastError = undefined;
      break;
    } catch (err) {
      lastError = err;
    }
  }
  if (lastError) {
    rmSync(base, { recursive: true, force: true });
    const e = lastError as { stderr?: string; message?: string };
    throw new Error(`real ComfyUI did not start: ${e.stderr ?? e.message}`);
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url, port, workdir, dirs, hashSeed: options.hashSeed,
    async stop() {
      await run('bash', [join(kit, 'stop.sh'), workdir, String(port)], { timeout: 30_000 }).catch(() => undefined);
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** Empty placeholder model files so that validation passes (loading them fails by design). */
export async function placeRealComfyModels(kind: RealComfyKind, folder: string, files: string[]): Promise<void> {
  const kit = kitDir();
  const workdir = workdirFor(kind);
  if (!kit || !workdir) throw new Error(`real ComfyUI (${kind}) is not set up: ${HOW_TO}`);
  if (files.length === 0) return;
  await run('bash', [join(kit, 'models.sh'), workdir, folder, ...files], { timeout: 30_000 });
}
