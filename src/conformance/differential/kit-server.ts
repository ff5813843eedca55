import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A real ComfyUI started from the kit in `../shared/real-comfyui/` for one differential run. */
export interface KitServer {
  url: string;
  stop(): Promise<void>;
}

/** Where the kit and its no-packs install are, from the variables `.ci/run` sets; undefined when unset. */
export function kitLocation(env: Record<string, string | undefined>): { kit: string; workdir: string } | undefined {
  const kit = env.STORYCORE_REAL_COMFYUI_KIT;
  const workdir = env.STORYCORE_REAL_COMFYUI_WORKDIR_NOPACKS;
  if (!kit || !workdir) return undefined;
  if (!existsSync(join(kit, 'start.sh')) || !existsSync(join(workdir, 'ComfyUI', 'main.py'))) return undefined;
  return { kit: resolve(kit), workdir: resolve(workdir) };
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts the kit's ComfyUI (`start.sh WORKDIR PORT -- dirs`) on a free loopback port with fresh
 * input/output/temp/user folders, so the run starts as a new server; `stop()` ends it and
 * removes the folders.
 */
export async function startKitServer(location: { kit: string; workdir: string }): Promise<KitServer> {
  const base = mkdtempSync(join(tmpdir(), 'storycore-differential-'));
  const dirs = { input: join(base, 'input'), output: join(base, 'output'), temp: join(base, 'temp'), user: join(base, 'user') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const installedInput = join(location.workdir, 'ComfyUI', 'input');
  if (existsSync(installedInput)) cpSync(installedInput, dirs.input, { recursive: true });
  const port = await freePort();
  const args = [join(location.kit, 'start.sh'), location.workdir, String(port), '--', '--input-directory', dirs.input, '--output-directory', dirs.output, '--temp-directory', dirs.temp, '--user-directory', dirs.user];
  try {
    await run('bash', args, { timeout: 240_000, env: { ...process.env, START_TIMEOUT: process.env.START_TIMEOUT ?? '180' } });
  } catch (cause) {
    rmSync(base, { recursive: true, force: true });
    throw cause;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await run('bash', [join(location.kit, 'stop.sh'), location.workdir, String(port)], { timeout: 30_000 }).catch(() => undefined);
      rmSync(base, { recursive: true, force: true });
    },
  };
}
