import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runFfmpeg } from '../../src/platform/ffmpeg.js';

// Issue 9 item 13: `render` on a full disk ended with "unexpected error"; ffmpeg's ENOSPC names the file now.
describe.skipIf(!existsSync('/dev/full'))('ffmpeg on a full disk', () => {
  it('fails with STORAGE_DISK_FULL naming the output file', { timeout: 30_000 }, async () => {
    const error = await runFfmpeg(['-f', 'lavfi', '-i', 'color=size=64x64:duration=1', '-f', 'rawvideo', '-y', '/dev/full']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORAGE_DISK_FULL', path: '/dev/full' });
    expect((error as Error).message).toMatch(/^no space left on the disk to write \/dev\/full/);
  });
});
