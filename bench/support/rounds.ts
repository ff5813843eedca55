/** Statistics for interleaved benchmark rounds on a shared, noisy machine. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** (max - min) / median: how far apart the rounds were; 0 on a quiet machine. */
export function spread(xs: number[]): number {
  return (Math.max(...xs) - Math.min(...xs)) / median(xs);
}

/** Round `i` runs the tools rotated by `i`, so that none always goes first (cold caches, drifting load). */
export function rotated<T>(items: T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** CPU time (user + system) of another process, from /proc; undefined where there is no /proc. */
export function processCpuMs(pid: number | undefined, readProcStat: (path: string) => string): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readProcStat(`/proc/${pid}/stat`).split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
