import { expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../../src/cli/io.js';
import { runCli } from '../../../src/cli/program.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output, in `cwd` with exactly `env` (no inherited STORYCORE_*). */
export async function cli(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; stop?: Promise<void> } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: options.env ?? {},
    cwd: options.cwd ?? tempDir(),
    onStopSignal(listener) {
      let active = true;
      void options.stop?.then(() => {
        if (active) listener('SIGINT');
      });
      return () => {
        active = false;
      };
    },
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

export function tempDir(prefix = 'storycore-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A loopback port with nothing listening on it (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The error output must be one line starting with "error:" and carry no stack frame. */
export function expectOneLineError(text: string): string {
  const lines = text.split('\n').filter((l) => l.length > 0);
  expect(lines, text).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(text).not.toMatch(/\n\s+at /);
  return lines[0]!;
}
