import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ComfyClient } from '../src/comfy/client/comfy-client.js';
import type { BenchReport } from './report.js';

const MiB = 1024 * 1024;

/**
 * Downloads a 1 GiB output file from the emulator (in its own process) with ComfyClient.download
 * and with `curl -s -o`, alternating, and reports throughput (ours/curl, goal >= 0.9) and the RSS
 * growth of this process during our download (goal <= 64 MiB).
 */
export async function runDownloadBench(args: string[]): Promise<BenchReport> {
  const sizeMiB = Number(args.find((a) => a.startsWith('--size-mib='))?.split('=')[1] ?? 1024);
  const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? 3);
  if (spawnSync('curl', ['--version']).status !== 0) throw new Error('curl is needed for this benchmark: apt-get install -y curl');
  const work = await mkdtemp(join(tmpdir(), 'storycore-bench-dl-'));
  const dataDir = join(work, 'comfy');
  const server = await startServer(dataDir);
  try {
    await mkdir(join(dataDir, 'output', 'bench'), { recursive: true });
    const source = join(dataDir, 'output', 'bench', 'big.bin');
    const expected = await writeBigFile(source, sizeMiB);
    const file = { filename: 'big.bin', subfolder: 'bench', type: 'output' as const };
    const client = new ComfyClient(server.url, { socket: false, durableDownloads: false });
    const durableClient = new ComfyClient(server.url, { socket: false, durableDownloads: true });
    const url = client.viewUrl(file);
    const bytes = sizeMiB * MiB;
    // Warm the page cache once so that every measured run reads the same way.
    await timed(() => curl(url, join(work, 'warm.bin')));

    const ours: number[] = [];
    const theirs: number[] = [];
    const durable: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const dest = join(work, `ours-${i}.bin`);
      const sampler = rssSampler();
      const { ms, value } = await timed(() => client.download(file, dest));
      rss.push(sampler.stop());
      if (value.sha256 !== expected) throw new Error(`sha256 mismatch: ${value.sha256} != ${expected}`);
      ours.push(ms);
      await rm(dest);
      theirs.push((await timed(() => curl(url, join(work, `curl-${i}.bin`)))).ms);
      await rm(join(work, `curl-${i}.bin`));
      const d = await timed(() => durableClient.download(file, join(work, `durable-${i}.bin`)));
      durable.push(d.ms);
      await rm(join(work, `durable-${i}.bin`));
    }
    await client.close();
    await durableClient.close();
    const mibps = (ms: number) => bytes / MiB / (ms / 1000);
    const best = (xs: number[]) => Math.min(...xs);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = mibps(median(ours)) / mibps(median(theirs));
    const rssGrowth = Math.max(...rss) / MiB;
    return {
      name: 'download',
      description: `${sizeMiB} MiB from /api/view of the emulator, ${rounds} alternating rounds (median)`,
      rows: [
        { tool: 'ComfyClient.download (sha256, atomic rename)', 'median MiB/s': mibps(median(ours)), 'best MiB/s': mibps(best(ours)), 'RSS growth MiB': rssGrowth },
        { tool: 'ComfyClient.download + fsync (default)', 'median MiB/s': mibps(median(durable)), 'best MiB/s': mibps(best(durable)) },
        { tool: 'curl -s -o', 'median MiB/s': mibps(median(theirs)), 'best MiB/s': mibps(best(theirs)) },
      ],
      goals: [
        { metric: 'throughput ours/curl', value: ratio, goal: '>= 0.9', ok: ratio >= 0.9 },
        { metric: 'RSS growth during download (MiB)', value: rssGrowth, goal: '<= 64', ok: rssGrowth <= 64 },
      ],
      data: { sizeMiB, rounds, oursMs: ours, curlMs: theirs, durableMs: durable, rssGrowthBytes: rss, sha256: expected },
    };
  } finally {
    server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

async function startServer(dataDir: string): Promise<{ url: string; stop(): void }> {
  const script = fileURLToPath(new URL('./support/emulator-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  for await (const chunk of child.stdout) {
    out += String(chunk);
    const m = /READY (\S+)/.exec(out);
    if (m) return { url: m[1]!, stop: () => child.kill('SIGTERM') };
  }
  throw new Error(`emulator process exited before it was ready: ${out}`);
}

/** Pseudo-random content (a random MiB repeated with a counter) so nothing compresses; returns its sha256. */
async function writeBigFile(path: string, sizeMiB: number): Promise<string> {
  const block = randomBytes(MiB);
  const out = createWriteStream(path);
  for (let i = 0; i < sizeMiB; i++) {
    block.writeUInt32BE(i, 0);
    if (!out.write(Buffer.from(block))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const hash = createHash('sha256');
  for await (const c of createReadStream(path, { highWaterMark: 4 * MiB })) hash.update(c as Buffer);
  return hash.digest('hex');
}

function curl(url: string, dest: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('curl', ['-s', '-f', '-o', dest, url], { stdio: 'ignore' });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`curl exited ${code}`))));
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** Peak RSS above the level at start, sampled every 10 ms. */
function rssSampler(): { stop(): number } {
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return peak - base;
    },
  };
}
