import { hostname } from 'node:os';

/** True when a process with this pid exists on this machine (EPERM means it exists but is someone else's). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock or registration's owner: alive if it runs here; a process on another host is assumed alive (we cannot see it). */
export function ownerAlive(owner: { pid: number; host?: string }): boolean {
  if (owner.host !== undefined && owner.host !== hostname()) return true;
  return isPidAlive(owner.pid);
}

/** Wall-clock time this process started, for "older than this process" checks on files named with our pid. */
export function processStartMs(): number {
  return Date.now() - process.uptime() * 1000;
}
