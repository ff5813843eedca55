import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AssetHashMismatchError, AssetStore } from '../../src/assets/index.js';
import { kill, startChild } from './fixtures/child.js';
import { storePerTest, type TempProject } from './support/store-per-test.js';

const sha = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const CRASH_WRITER = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));

let project: TempProject;
let store: AssetStore;
storePerTest((opened) => ({ project, store } = opened), () => store);

async function objectFiles(): Promise<string[]> {
  const root = store.layout.objects;
  const fans = await readdir(root).catch(() => [] as string[]);
  const files: string[] = [];
  for (const fan of fans) for (const name of await readdir(join(root, fan))) files.push(`${fan}/${name}`);
  return files.sort();
}

describe('AssetStore.ingest', () => {
  it('stores bytes under objects/<aa>/<sha256>, read-only, and leaves no temp file', async () => {
    const result = await store.ingest(Buffer.from('keyframe'));
    expect(result).toMatchObject({ sha256: sha('keyframe'), bytes: 8, deduplicated: false });
    expect(result.path).toBe(join(project.dir, '.storycore', 'objects', sha('keyframe').slice(0, 2), sha('keyframe')));
    expect(await readFile(result.path, 'utf8')).toBe('keyframe');
    expect((await stat(result.path)).mode & 0o222).toBe(0);
    expect(await readdir(store.layout.tmp)).toEqual([]);
  });

  it('accepts a file path, a Node stream, an async iterable and a web stream', async () => {
    const file = join(project.dir, 'input.bin');
    await writeFile(file, 'from a file');
    expect((await store.ingest(file)).sha256).toBe(sha('from a file'));
    expect((await store.ingest(Readable.from([Buffer.from('node '), Buffer.from('stream')]))).sha256).toBe(sha('node stream'));
    async function* parts(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('async ');
      yield Buffer.from('iterable');
    }
    expect((await store.ingest(parts())).sha256).toBe(sha('async iterable'));
    expect((await store.ingest(new Blob(['web stream']).stream())).sha256).toBe(sha('web stream'));
  });

  it('deduplicates: a second ingest of the same bytes does not rewrite the object', async () => {
    const first = await store.ingest(Buffer.from('same bytes'));
    const before = await stat(first.path);
    const second = await store.ingest(Readable.from([Buffer.from('same '), Buffer.from('bytes')]));
    expect(second).toMatchObject({ sha256: first.sha256, deduplicated: true });
    const after = await stat(first.path);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(await objectFiles()).toHaveLength(1);
    expect(await readdir(store.layout.tmp)).toEqual([]);
  });

  it('checks expectedSha256 (any case) and, on a mismatch, stores nothing and throws', async () => {
    await expect(store.ingest(Buffer.from('clip'), { expectedSha256: sha('clip').toUpperCase() })).resolves.toMatchObject({ sha256: sha('clip') });
    const error = await store.ingest(Buffer.from('truncated'), { expectedSha256: sha('the full file') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssetHashMismatchError);
    expect(error).toMatchObject({ code: 'ASSET_HASH_MISMATCH', expected: sha('the full file'), actual: sha('truncated'), bytes: 9 });
    expect(await objectFiles()).toEqual([`${sha('clip').slice(0, 2)}/${sha('clip')}`]);
    expect(await readdir(store.layout.tmp)).toEqual([]);
  });

  it('removes the temp file when the source stream fails', async () => {
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('partial');
      throw new Error('connection reset');
    }
    await expect(store.ingest(broken())).rejects.toThrow('connection reset');
    expect(await readdir(store.layout.tmp)).toEqual([]);
    expect(await objectFiles()).toEqual([]);
  });
});

describe('a writer killed mid-ingest', () => {
  it('leaves only a temp file, which the next open removes; no object, no index entry', async () => {
    const { child, firstLine } = await startChild(CRASH_WRITER, [project.dir]);
    const report = JSON.parse(firstLine) as { first: string; tmp: string[] };
    expect(report.tmp).toHaveLength(1);
    const tmpFile = join(store.layout.tmp, report.tmp[0]!);
    expect((await lstat(tmpFile)).size).toBe(64 * 1024);
    await kill(child);
    expect(child.signalCode).toBe('SIGKILL');

    // The half-written stream never became an object; the completed one did, unrecorded.
    expect(await objectFiles()).toEqual([`${report.first.slice(0, 2)}/${report.first}`]);
    expect(await readdir(store.layout.tmp)).toEqual(report.tmp);
    expect(store.tasks()).toEqual([]);

    const reopened = await AssetStore.open(project.dir);
    try {
      expect(reopened.startupCleanup.removed).toEqual(report.tmp);
      expect(await readdir(store.layout.tmp)).toEqual([]);
      expect(reopened.tasks()).toEqual([]);
      // The killed writer's registration is stale, so gc may run and collects the unrecorded object.
      await store.close();
      const gc = await reopened.gc();
      expect(gc.objects).toEqual([{ sha256: report.first, bytes: 'complete keyframe bytes'.length }]);
      expect(await objectFiles()).toEqual([]);
    } finally {
      await reopened.close();
    }
  });

  it('startup cleanup keeps the temp files of a live writer', async () => {
    const { child, firstLine } = await startChild(CRASH_WRITER, [project.dir]);
    try {
      const { tmp } = JSON.parse(firstLine) as { tmp: string[] };
      const other = await AssetStore.open(project.dir);
      expect(other.startupCleanup).toEqual({ removed: [], kept: tmp });
      await other.close();
    } finally {
      await kill(child);
    }
  });
});
