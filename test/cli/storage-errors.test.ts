import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/index.js';
import { describeError, formatErrorLine } from '../../src/cli/render-error.js';
import { pathSettings } from '../../src/cli/storage-hint.js';

const settings = pathSettings(defaultConfig(), '/work/film', { TMPDIR: '/tmp' });

function errno(code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${code}: failed`), { code, ...extra });
}

// Issue 9 item 13: a storage failure names the path, the space, and the setting to change.
describe('storage errors on the command line', () => {
  it('a bare fs error with a path becomes one line naming the path and the most specific setting', () => {
    const rendered = describeError(errno('EACCES', { path: '/work/film/.storycore/index.sqlite', syscall: 'open' }), undefined, settings);
    expect(rendered.expected).toBe(true);
    expect(formatErrorLine(rendered)).toBe(
      'error: cannot write /work/film/.storycore/index.sqlite (permission denied) — set paths.dataDir (now /work/film/.storycore) to a folder this user can create and write',
    );
    const queue = describeError(errno('EROFS', { path: '/work/film/.storycore/queue.sqlite' }), undefined, settings);
    expect(queue.hint).toBe('set queue.sqlitePath (now /work/film/.storycore/queue.sqlite) to a folder this user can create and write');
  });

  it('ENOSPC from a write that names no path (SQLite, a file handle) still says what to free and where', () => {
    for (const code of ['ENOSPC', 'SQLITE_FULL']) {
      const rendered = describeError(errno(code), undefined, settings);
      expect(rendered.code).toBe('STORAGE_DISK_FULL');
      expect(formatErrorLine(rendered)).toBe(
        'error: no space left on the disk (a write failed with ENOSPC) — free space on the disk holding paths.dataDir (now /work/film/.storycore), or set paths.dataDir to a disk with room',
      );
    }
  });

  it('a render output under paths.outputDir names that setting', () => {
    const rendered = describeError(errno('EROFS', { path: '/work/film/out/final.mp4' }), undefined, settings);
    expect(formatErrorLine(rendered)).toBe('error: cannot write /work/film/out/final.mp4 (read-only filesystem) — set paths.outputDir (now /work/film/out) to a folder this user can create and write');
  });
});
