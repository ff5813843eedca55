import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/storycore.js', import.meta.url));

/** Runs the real CLI with its stdout pipe closed by the reader at once, as `| head -0` would. */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

// Issue 9 item 14: `storycore models list | head -3` crashed with an EPIPE stack trace.
describe('a reader that closes stdout early', () => {
  it.each(['models list', 'templates list --json', '--help'])('%s ends quietly with exit 0', { timeout: 30_000 }, async (command) => {
    const run = await runWithClosedStdout(command.split(' '));
    expect(run.stderr).not.toMatch(/EPIPE|\n\s+at |error/i);
    expect(run.code).toBe(0);
  });
});
