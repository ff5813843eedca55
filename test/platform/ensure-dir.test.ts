import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/platform/errors/storage-error.js';
import { ensureDir, ensureDirSync } from '../../src/platform/ensure-dir.js';

// Node's recursive mkdir spins forever on /proc/nope (the parent exists, mkdir says ENOENT).
const procAvailable = existsSync('/proc/self');

describe('ensureDir', () => {
  it.skipIf(!procAvailable)('ends with a StorageError naming a folder /proc refuses, instead of looping', { timeout: 5_000 }, async () => {
    const error = await ensureDir('/proc/nope/deeper').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe('STORAGE_FOLDER_NOT_CREATABLE');
    expect((error as StorageError).message).toContain('/proc/nope/deeper');
    expect(() => ensureDirSync('/proc/nope')).toThrow(/cannot create folder \/proc\/nope/);
  });

  it('creates missing parents and accepts an existing folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'storycore-ensure-'));
    await ensureDir(join(root, 'a', 'b', 'c'));
    await ensureDir(join(root, 'a', 'b', 'c'));
    ensureDirSync(join(root, 'x', 'y'));
    expect(existsSync(join(root, 'a', 'b', 'c'))).toBe(true);
    expect(existsSync(join(root, 'x', 'y'))).toBe(true);
  });

  it('names the file that stands where a folder should be', async () => {
    const root = mkdtempSync(join(tmpdir(), 'storycore-ensure-'));
    writeFileSync(join(root, 'file'), 'x');
    await expect(ensureDir(join(root, 'file', 'sub'))).rejects.toThrow(`${join(root, 'file')} is a file, not a folder`);
    expect(() => ensureDirSync(join(root, 'file', 'sub'))).toThrow(StorageError);
  });
});
