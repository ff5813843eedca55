import { open } from 'node:fs/promises';

/** The last `count` lines of a log file (reads at most the final 256 KB); [] when missing. */
export async function lastLines(file: string, count: number): Promise<string[]> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 256 * 1024);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split(/\r?\n/);
    if (lines.at(-1) === '') lines.pop();
    return count <= 0 ? [] : lines.slice(-count);
  } finally {
    await handle.close();
  }
}
