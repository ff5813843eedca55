import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { lstat, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { AssetStore, AssetStoreInputError, MissingObjectError, taskHash, type LinkMode } from '../../src/assets/index.js';
import { runFacts } from './fixtures/project.js';
import { storePerTest, type TempProject } from './support/store-per-test.js';

let project: TempProject;
let store: AssetStore;
storePerTest((opened) => ({ project, store } = opened), () => store);

// Reads the link in a tight loop in another process until told to stop; counts reads that
// found no file or bytes that are neither version.
const READER = `
const fs = require('node:fs');
const [path, stop, a, b] = process.argv.slice(1);
let reads = 0, missing = 0, torn = 0;
process.stdout.write('ready\\n');
while (!fs.existsSync(stop)) {
  try { const s = fs.readFileSync(path, 'utf8'); reads++; if (s !== a && s !== b) torn++; }
  catch (e) { if (e.code === 'ENOENT') missing++; else torn++; }
}
process.stdout.write(JSON.stringify({ reads, missing, torn }) + '\\n');
`;

describe('render links', () => {
  it('makes a relative symlink with the manifest beside it', async () => {
    const key = await store.ingest(Buffer.from('keyframe png'));
    const hash = taskHash({ templateId: 'sdxl-t2i', templateVersion: '1.0.0', params: {}, inputs: {} });
    await store.recordTaskOutputs(hash, [{ role: 'keyframe', sha256: key.sha256, kind: 'image', filename: 'ComfyUI_00001_.PNG', bytes: key.bytes }], runFacts('sdxl-t2i'));
    const result = await store.linkOutput('shot-003', { role: 'keyframe', sha256: key.sha256, filename: 'ComfyUI_00001_.PNG' });
    expect(result).toEqual({ path: 'renders/shot-003/keyframe.png', mode: 'symlink', sidecar: 'renders/shot-003/keyframe.json' });
    const link = join(project.dir, 'renders', 'shot-003', 'keyframe.png');
    const target = await readlink(link);
    expect(isAbsolute(target)).toBe(false);
    expect(target).toBe(`../../.storycore/objects/${key.sha256.slice(0, 2)}/${key.sha256}`);
    expect(await readFile(link, 'utf8')).toBe('keyframe png');
    const sidecar = JSON.parse(await readFile(join(project.dir, 'renders', 'shot-003', 'keyframe.json'), 'utf8')) as { taskHash: string; asset: { sha256: string } };
    expect(sidecar).toMatchObject({ taskHash: hash, asset: { sha256: key.sha256 } });
  });

  it('refuses paths outside renders/ and objects that are not stored', async () => {
    const key = await store.ingest(Buffer.from('x'));
    for (const bad of ['../escape.png', '/etc/passwd', 'shot/../../x.png', '']) {
      await expect(store.link(bad, key.sha256)).rejects.toBeInstanceOf(AssetStoreInputError);
    }
    await expect(store.link('shot-001/clip.mp4', '0'.repeat(64))).rejects.toBeInstanceOf(MissingObjectError);
  });

  it.each<[LinkMode, (path: string) => Promise<boolean>]>([
    ['symlink', async (p) => (await lstat(p)).isSymbolicLink()],
    ['hardlink', async (p) => (await lstat(p)).nlink === 2],
    ['copy', async (p) => (await lstat(p)).isFile() && (await lstat(p)).nlink === 1],
  ])('replaces a %s atomically: a concurrent reader never sees it missing or torn', async (mode, isMode) => {
    await store.close();
    store = await AssetStore.open(project.dir, { linkModes: [mode] });
    const a = await store.ingest(Buffer.from('first render '.repeat(2000)));
    const b = await store.ingest(Buffer.from('second render '.repeat(3000)));
    const linkPath = join(project.dir, 'renders', 'shot-001', 'clip.mp4');
    expect((await store.link('shot-001/clip.mp4', a.sha256)).mode).toBe(mode);
    expect(await isMode(linkPath)).toBe(true);

    const stop = join(project.dir, 'stop');
    const reader = spawn(process.execPath, ['-e', READER, linkPath, stop, 'first render '.repeat(2000), 'second render '.repeat(3000)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: reader.stdout })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe('ready');
    for (let i = 0; i < 150; i++) await store.link('shot-001/clip.mp4', i % 2 ? a.sha256 : b.sha256);
    await writeFile(stop, '');
    const counts = JSON.parse((await lines.next()).value as string) as { reads: number; missing: number; torn: number };

    expect(counts.reads).toBeGreaterThan(0);
    expect(counts).toMatchObject({ missing: 0, torn: 0 });
    expect(await readFile(linkPath, 'utf8')).toBe('first render '.repeat(2000)); // i = 149 links a
    expect(await readdir(join(project.dir, 'renders', 'shot-001'))).toEqual(['clip.mp4']);
  });

  it.skipIf(!crossDevice())('falls back to a copy when a hard link cannot cross filesystems', async () => {
    // renders/ lives on /dev/shm (tmpfs), the objects on the project's disk: link() fails with EXDEV.
    const elsewhere = await mkdtemp(join('/dev/shm', 'storycore-renders-'));
    try {
      await symlink(elsewhere, join(project.dir, 'renders'));
      await store.close();
      store = await AssetStore.open(project.dir, { linkModes: ['hardlink', 'copy'] });
      const key = await store.ingest(Buffer.from('copy me'));
      const result = await store.link('shot-002/keyframe.png', key.sha256);
      expect(result.mode).toBe('copy');
      expect(await readFile(join(elsewhere, 'shot-002', 'keyframe.png'), 'utf8')).toBe('copy me');
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });
});

function crossDevice(): boolean {
  try {
    return statSync('/dev/shm').dev !== statSync(tmpdir()).dev;
  } catch {
    return false;
  }
}
