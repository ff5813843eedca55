import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, openSync, closeSync, writeSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/storycore.js');
export const GRAPH = join(ROOT, 'examples/graphs/keyframe-sd15.json');

/** Every client and queue wait is set short, so the suite measures "ends", not "waits long". */
export const SHORT_TIMEOUTS: Record<string, string> = {
  STORYCORE_CLIENT__REQUEST_TIMEOUT_MS: '1000',
  STORYCORE_CLIENT__OBJECT_INFO_TIMEOUT_MS: '1000',
  STORYCORE_CLIENT__CHECK_TIMEOUT_MS: '1000',
  STORYCORE_CLIENT__SOCKET_OPEN_TIMEOUT_MS: '1000',
  STORYCORE_CLIENT__UNREACHABLE_TIMEOUT_MS: '1500',
  STORYCORE_QUEUE__REDIS_CONNECT_TIMEOUT_MS: '1000',
};

export interface CliOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the bound ran out and the process had to be killed. */
  hung: boolean;
}

/** Spawns the real `storycore` binary; kills it (and reports `hung`) when it outlives `boundMs`. */
export function runStorycore(args: string[], options: { cwd: string; env: Record<string, string>; boundMs: number }): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...SHORT_TIMEOUTS, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, options.boundMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, hung });
    });
  });
}

/** A loopback server that accepts connections and never answers (a hung ComfyUI). */
export async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A project folder with the sample story, as `storycore init` makes it. */
export function projectIn(dir: string): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(ROOT, 'examples/stories/story.yaml'), join(dir, 'story.yaml'));
  copyFileSync(join(ROOT, 'examples/stories/the-lighthouse.md'), join(dir, 'the-lighthouse.md'));
  copyFileSync(GRAPH, join(dir, 'graph.json'));
  return dir;
}

export function tempProject(): string {
  return projectIn(mkdtempSync(join(tmpdir(), 'storycore-hang-')));
}

/**
 * A full disk: a 4 MiB tmpfs holding a project, then filled to the last byte. Needs root
 * (mount); returns undefined where mounting is not allowed.
 */
export function fullDisk(): { dir: string; release(): void } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'storycore-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  projectIn(dir);
  const fd = openSync(join(dir, 'filler'), 'w');
  const block = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, block);
  } catch {
    // ENOSPC: the disk is full now; fill the last partial block too.
    try {
      for (;;) writeSync(fd, block, 0, 512);
    } catch {
      // full to the byte
    }
  } finally {
    closeSync(fd);
  }
  return {
    dir,
    release() {
      execFileSync('umount', [dir], { stdio: 'ignore' });
    },
  };
}
