import type { ChildProcess } from 'node:child_process';
import type { SystemStats } from '../../comfy/protocol/routes.js';
import { systemStatsSchema } from '../../comfy/protocol/routes.js';

export interface ReadyWaitOptions {
  url: string;
  timeoutMs: number;
  pollMs: number;
  /** The launched process: its exit ends the wait at once. */
  child?: ChildProcess;
}

export type ReadyOutcome = { ok: true; stats: SystemStats } | { ok: false; reason: string };

/**
 * Polls `GET /system_stats` until ComfyUI answers (it loads torch and custom nodes first,
 * which takes seconds to minutes), the process exits, or the timeout passes.
 */
export async function waitUntilReady(options: ReadyWaitOptions): Promise<ReadyOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  let exited: string | undefined;
  const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
    exited = signal ? `was killed by ${signal} before answering` : `exited with code ${code} before answering`;
  };
  options.child?.once('exit', onExit);
  try {
    for (;;) {
      if (exited) return { ok: false, reason: exited };
      const stats = await fetchStats(options.url, Math.min(2_000, options.pollMs * 8));
      if (stats) return { ok: true, stats };
      if (exited) return { ok: false, reason: exited };
      if (Date.now() >= deadline) return { ok: false, reason: `did not answer ${options.url}/system_stats within ${Math.round(options.timeoutMs / 1000)} s` };
      await new Promise((resolve) => setTimeout(resolve, options.pollMs));
    }
  } finally {
    options.child?.off('exit', onExit);
  }
}

/** One `/system_stats` read; undefined on any failure (not up yet). */
export async function fetchStats(url: string, timeoutMs: number): Promise<SystemStats | undefined> {
  try {
    const response = await fetch(`${url}/system_stats`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return undefined;
    const parsed = systemStatsSchema.safeParse(await response.json());
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
