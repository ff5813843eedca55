import { hostname } from 'node:os';

export { isPidAlive } from '../platform/pid-alive.js';
import { isPidAlive } from '../platform/pid-alive.js';

/** A lock or registration's owner: alive if it runs here; a process on another host is assumed alive (we cannot see it). */
export function ownerAlive(owner: { pid: number; host?: string }): boolean {
  if (owner.host !== undefined && owner.host !== hostname()) return true;
  return isPidAlive(owner.pid);
}

/** Wall-clock time this process started, for "older than this process" checks on files named with our pid. */
export function processStartMs(): number {
  return Date.now() - process.uptime() * 1000;
}
