import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/scheduler/dispatcher/dispatcher.js';
import { SqliteJobQueue } from '../../src/scheduler/queue/sqlite-queue.js';
import type { Emulator } from '../../src/sim/index.js';
import { modelsFor, poolFor, sd15Job, startWorkers, tempDir, waitForEvent } from './support/harness.js';

const script = fileURLToPath(new URL('./support/dispatcher-child.ts', import.meta.url));

interface ChildEvent {
  event: string;
  jobId?: string;
  worker?: string;
  promptId?: string;
  reattached?: boolean;
}

/** A dispatcher child process and the events it printed so far. */
function startChild(args: string[]): { child: ChildProcess; events: ChildEvent[]; waitFor(test: (events: ChildEvent[]) => boolean): Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const events: ChildEvent[] = [];
  const waiters: Array<{ test: (e: ChildEvent[]) => boolean; resolve: () => void }> = [];
  let buffer = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.startsWith('{')) events.push(JSON.parse(line) as ChildEvent);
    }
    for (const w of [...waiters]) {
      if (!w.test(events)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    events,
    exited,
    waitFor: (test) =>
      new Promise<void>((resolve, reject) => {
        if (test(events)) return resolve();
        waiters.push({ test, resolve });
        void exited.then((code) => reject(new Error(`child exited ${code} before the awaited events: ${stderr.slice(-2000)}`)));
      }),
  };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('kill -9 the orchestrator mid-run', () => {
  it('a new dispatcher process re-attaches to the running prompts: every job completes, no prompt is submitted twice', async () => {
    const dir = tempDir('dispatch-kill-');
    const models = modelsFor([{ templateId: 'sd15-t2i' }]);
    // Real time: a job runs long enough (≈2 s) to be killed in the middle of it.
    const emulators = await startWorkers([
      { name: 'gpu-a', models, timeScale: 1 },
      { name: 'gpu-b', models, timeScale: 1 },
    ]);
    const queuePath = `${dir.path}/queue.sqlite`;
    const queue = new SqliteJobQueue({ path: queuePath });
    cleanups.push(async () => {
      for (const e of emulators.values()) await e.close();
      await queue.close();
      dir.remove();
    });
    await queue.add([1, 2, 3, 4].map((i) => sd15Job(`shot-${i}`, i)));
    const urls = [...emulators.entries()].map(([name, e]: [string, Emulator]) => `${name}=${e.url}`);

    const first = startChild([queuePath, `${dir.path}/out`, 'orch-1', '1500', ...urls]);
    cleanups.push(() => void first.child.kill('SIGKILL'));
    // Both workers busy, and a prompt queued behind each: kill it then.
    await first.waitFor((events) => events.filter((e) => e.event === 'prompt.started').length >= 2 && events.filter((e) => e.event === 'prompt.submitted').length >= 4);
    first.child.kill('SIGKILL');
    await first.exited;
    const before = await queue.list();
    expect(before.some((j) => j.state === 'completed')).toBe(false);
    const refs = new Map(before.filter((j) => j.promptRef).map((j) => [j.id, j.promptRef!.promptId]));
    expect(refs.size).toBe(4);

    const second = startChild([queuePath, `${dir.path}/out`, 'orch-2', '1500', ...urls]);
    cleanups.push(() => void second.child.kill('SIGKILL'));
    expect(await second.exited).toBe(0);

    const after = await queue.list();
    expect(after.map((j) => j.state)).toEqual(['completed', 'completed', 'completed', 'completed']);
    const reattached = second.events.filter((e) => e.event === 'prompt.submitted');
    expect(reattached.every((e) => e.reattached)).toBe(true);
    for (const job of after) {
      const result = job.result as { promptId: string; reattached: boolean };
      // The prompt stored before the kill is the one that produced the result.
      expect(result.promptId).toBe(refs.get(job.id));
      expect(result.reattached).toBe(true);
      expect(job.history.map((h) => h.error?.code ?? 'ok')).toEqual(['LEASE_EXPIRED', 'ok']);
    }
    // Every prompt id reached a worker exactly once.
    const submissions = new Map<string, number>();
    for (const e of emulators.values()) for (const [id, s] of Object.entries(e.stats.byPromptId)) submissions.set(id, (submissions.get(id) ?? 0) + s.submissions);
    expect([...submissions.values()]).toEqual([1, 1, 1, 1]);
    expect([...submissions.keys()].sort()).toEqual([...refs.values()].sort());
  });
});

describe('a job that kills its dispatcher every time', () => {
  it('ends failed once its lease has expired on its last attempt, and the dispatcher says so', async () => {
    const dir = tempDir('storycore-killer-');
    const emulators = await startWorkers([{ name: 'gpu-1', models: modelsFor([{ templateId: 'sd15-t2i' }]) }]);
    const queue = new SqliteJobQueue({ path: `${dir.path}/queue.sqlite`, leaseMs: 50 });
    const pool = poolFor(emulators);
    const dispatcher = new Dispatcher({ queue, pool, id: 'survivor', outputDir: `${dir.path}/out`, pollMs: 20 });
    cleanups.push(async () => {
      await dispatcher.stop({ mode: 'release' });
      await pool.close();
      for (const e of emulators.values()) await e.close();
      await queue.close();
      dir.remove();
    });
    await queue.add([{ ...sd15Job('killer'), maxAttempts: 2 }]);
    // Two dispatchers leased it and died without a heartbeat: the first expiry puts it back, the second ends it.
    for (const dead of ['gpu-1@crashed-1', 'gpu-1@crashed-2']) {
      const [leased] = await queue.lease(dead, { filter: (j) => j.id === 'killer' });
      expect(leased?.attempts).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 60));
      if (dead.endsWith('1')) expect((await queue.recoverExpiredLeases()).map((j) => j.state)).toEqual(['ready']);
    }
    await pool.start();
    const failed = waitForEvent<{ jobId: string; decision: { code: string; reason: string } }>(dispatcher.events, 'job.failed');
    dispatcher.start();
    const event = await failed;
    expect(event).toMatchObject({ jobId: 'killer', decision: { code: 'LEASE_EXPIRED' } });
    expect(event.decision.reason).toContain('2 of 2 attempts used');
    expect(await queue.get('killer')).toMatchObject({ state: 'failed', attempts: 2 });
    expect(emulators.get('gpu-1')!.stats.submissions).toBe(0);
  });
});
