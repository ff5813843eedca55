import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { writeFileAtomic } from '../atomic-write.js';

/** `<dataDir>/comfyui/gpu<N>.pid`: what StoryCore launched on one GPU slot. */
export const pidRecordSchema = z.strictObject({
  pid: z.number().int().positive(),
  gpu: z.number().int().min(0),
  port: z.number().int().min(1).max(65_535),
  profile: z.string(),
  startedAt: z.string(),
  command: z.array(z.string()),
  cwd: z.string(),
  logFile: z.string(),
});

export type PidRecord = z.output<typeof pidRecordSchema>;

export function comfyuiDir(dataDir: string): string {
  return path.join(dataDir, 'comfyui');
}

export function pidFile(dataDir: string, gpu: number): string {
  return path.join(comfyuiDir(dataDir), `gpu${gpu}.pid`);
}

export function logFile(dataDir: string, gpu: number): string {
  return path.join(comfyuiDir(dataDir), `gpu${gpu}.log`);
}

export async function writePidRecord(dataDir: string, record: PidRecord): Promise<void> {
  await writeFileAtomic(pidFile(dataDir, record.gpu), `${JSON.stringify(record, null, 2)}\n`);
}

/** The record of a GPU slot; undefined when there is none or it is unreadable (treated as stale). */
export async function readPidRecord(dataDir: string, gpu: number): Promise<PidRecord | undefined> {
  try {
    const parsed = pidRecordSchema.safeParse(JSON.parse(await readFile(pidFile(dataDir, gpu), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function removePidRecord(dataDir: string, gpu: number): Promise<void> {
  await rm(pidFile(dataDir, gpu), { force: true });
}

/** GPU indexes that have a pid file, ascending. */
export async function recordedGpus(dataDir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(comfyuiDir(dataDir));
  } catch {
    return [];
  }
  return names
    .map((n) => /^gpu(\d+)\.pid$/.exec(n)?.[1])
    .filter((n) => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}
