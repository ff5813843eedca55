import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteJobQueue } from '../../src/scheduler/queue/sqlite-queue.js';
import { startEmulator } from '../../src/sim/index.js';
import { modelsFor, sd15Job, tempDir } from './support/harness.js';

/** Real `kill -9` of a dispatcher process between storing the prompt id and POST /prompt, and right after it. */

const dying = fileURLToPath(new URL('./support/dying-dispatcher-child.ts', import.meta.url));
const survivor = fileURLToPath(new URL('./support/dispatcher-child.ts', import.meta.url));

function run(script: string, args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  cleanups.push(() => void child.kill('SIGKILL'));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stderr })));
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('kill -9 the dispatcher at submission (current-protocol worker, emulated)', () => {
  it.each(['after-store', 'after-submit'] as const)('killed %s: the next process finishes the job under the stored id, submitted once', async (point) => {
    const dir = tempDir('dispatch-kill9-');
    const emulator = await startEmulator({ name: 'gpu-a', timeScale: 0, models: modelsFor([{ templateId: 'sd15-t2i' }]) });
    const queuePath = `${dir.path}/queue.sqlite`;
    const queue = new SqliteJobQueue({ path: queuePath });
    cleanups.push(async () => {
      await emulator.close();
      await queue.close();
      dir.remove();
    });
    await queue.add([sd15Job('shot-1', 1), sd15Job('shot-2', 2)]);
    const worker = `gpu-a=${emulator.url}`;

    const killed = await run(dying, [queuePath, `${dir.path}/out`, 'doomed', '800', point, worker]);
    expect(killed.signal).toBe('SIGKILL');
    const stored = new Map((await queue.list()).filter((j) => j.promptRef).map((j) => [j.id, j.promptRef!.promptId]));
    expect(stored.size).toBeGreaterThanOrEqual(1);

    const finished = await run(survivor, [queuePath, `${dir.path}/out`, 'next', '800', worker]);
    expect(finished.code, finished.stderr.slice(-2000)).toBe(0);

    const jobs = await queue.list();
    expect(jobs.map((j) => j.state)).toEqual(['completed', 'completed']);
    for (const job of jobs) {
      const result = job.result as { promptId: string };
      if (stored.has(job.id)) expect(result.promptId).toBe(stored.get(job.id));
      expect(job.history.map((h) => h.error?.code ?? 'ok').filter((c) => c !== 'LEASE_EXPIRED')).toEqual(['ok']);
    }
    // Every prompt id reached the worker exactly once; one prompt per job.
    expect(Object.values(emulator.stats.byPromptId).map((s) => s.submissions)).toEqual([1, 1]);
  }, 60_000);
});
