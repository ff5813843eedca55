import { readFileSync } from 'node:fs';
import type { PidRecord } from './pid-file.js';

/**
 * Whether the process a pid file names is still the ComfyUI we launched. A pid file is
 * stale when the process is gone, a zombie, or the pid now belongs to another program (the
 * OS reuses pids): on Linux its command line must still carry our `--port`.
 */
export function isOurProcess(record: Pick<PidRecord, 'pid' | 'port'>): boolean {
  try {
    process.kill(record.pid, 0);
  } catch {
    // ESRCH: gone. EPERM: the pid belongs to another user, so it is not the process we started.
    return false;
  }
  const stat = readProc(record.pid, 'stat');
  if (stat !== undefined) {
    // Field 3 (after the parenthesised name) is the state; Z = exited, waiting to be reaped.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
  }
  const cmdline = readProc(record.pid, 'cmdline');
  if (cmdline === undefined) return true;
  const args = cmdline.split('\0');
  const at = args.indexOf('--port');
  return at >= 0 && args[at + 1] === String(record.port);
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}
