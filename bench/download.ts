import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ComfyClient } from '../src/comfy/client/comfy-client.js';
import type { BenchReport } from './report.js';
import { median, processCpuMs, rotated, spread } from './support/rounds.js';

const MiB = 1024 * 1024;
/** Beyond this round-to-round spread of the ratio, the machine was too noisy for the median to mean much. */
const TRUSTED_SPREAD = 0.3;

type Tool = 'ours' | 'curl' | 'durable';
interface Run {
  ms: number;
  /** CPU of the downloading side (this process; not available for curl). */
  cpuMs?: number;
  /** CPU the emulator process spent serving it. */
  serverCpuMs?: number;
  rssBytes?: number;
}

/**
 * Downloads a 1 GiB output file from the emulator (in its own process) with ComfyClient.download
 * and with `curl -s -o`, in interleaved rounds whose order rotates, and reports the median of the
 * per-round throughput ratios ours/curl (goal >= 0.9) and this process's RSS growth (goal <= 64 MiB).
 * curl does not fsync, so the goal compares against ours without fsync; the default (fsync before
 * the rename) is measured in the same rounds and reported beside it.
 */
export async function runDownloadBench(args: string[]): Promise<BenchReport> {
  const arg = (name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
  const sizeMiB = arg('size-mib', 1024);
  const rounds = Math.max(1, arg('rounds', 5));
  if (spawnSync('curl', ['--version']).status !== 0) throw new Error('curl is needed for this benchmark: apt-get install -y curl');
  const work = await mkdtemp(join(tmpdir(), 'storycore-bench-dl-'));
  const dataDir = join(work, 'comfy');
  const server = await startServer(dataDir);
  const loadBefore = loadavg()[0]!;
  try {
    await mkdir(join(dataDir, 'output', 'bench'), { recursive: true });
    const source = join(dataDir, 'output', 'bench', 'big.bin');
    const expected = await writeBigFile(source, sizeMiB);
    const file = { filename: 'big.bin', subfolder: 'bench', type: 'output' as const };
    const client = new ComfyClient(server.url, { socket: false, durableDownloads: false });
    const durableClient = new ComfyClient(server.url, { socket: false, durableDownloads: true });
    const url = client.viewUrl(file);
    const bytes = sizeMiB * MiB;
    const serverCpu = () => processCpuMs(server.pid, (p) => readFileSync(p, 'utf8'));

    const runOne = async (tool: Tool, dest: string): Promise<Run> => {
      const cpu0 = process.cpuUsage();
      const server0 = serverCpu();
      const sampler = tool === 'curl' ? undefined : rssSampler();
      const start = process.hrtime.bigint();
      if (tool === 'curl') await curl(url, dest);
      else {
        const got = await (tool === 'ours' ? client : durableClient).download(file, dest);
        if (got.sha256 !== expected) throw new Error(`sha256 mismatch: ${got.sha256} != ${expected}`);
      }
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const rssBytes = sampler?.stop();
      const cpu = process.cpuUsage(cpu0);
      const server1 = serverCpu();
      await rm(dest, { force: true });
      return {
        ms,
        ...(tool === 'curl' ? {} : { cpuMs: (cpu.user + cpu.system) / 1000 }),
        ...(server0 !== undefined && server1 !== undefined ? { serverCpuMs: server1 - server0 } : {}),
        ...(rssBytes !== undefined ? { rssBytes } : {}),
      };
    };

    // Warm the page cache and the JIT once so that every measured run starts the same way.
    await runOne('curl', join(work, 'warm-curl.bin'));
    await runOne('ours', join(work, 'warm-ours.bin'));

    const runs: Record<Tool, Run[]> = { ours: [], curl: [], durable: [] };
    const tools: Tool[] = ['ours', 'curl', 'durable'];
    for (let i = 0; i < rounds; i++) {
      for (const tool of rotated(tools, i)) runs[tool].push(await runOne(tool, join(work, `${tool}-${i}.bin`)));
    }
    await client.close();
    await durableClient.close();

    // Each round's own ratio: curl and ours ran back to back, under nearly the same load.
    const ratios = runs.ours.map((r, i) => runs.curl[i]!.ms / r.ms);
    const durableRatios = runs.durable.map((r, i) => runs.curl[i]!.ms / r.ms);
    const ratio = median(ratios);
    const ratioSpread = rounds > 1 ? spread(ratios) : 0;
    const rssGrowth = Math.max(...[...runs.ours, ...runs.durable].map((r) => r.rssBytes ?? 0)) / MiB;
    const mibps = (ms: number) => bytes / MiB / (ms / 1000);
    const perGiB = (ms: number | undefined) => (ms === undefined ? '' : Math.round((ms * 1024) / sizeMiB));
    const row = (tool: string, rs: Run[], extra: Record<string, string | number> = {}) => {
      const speeds = rs.map((r) => mibps(r.ms));
      const cpu = rs.every((r) => r.cpuMs !== undefined) ? median(rs.map((r) => r.cpuMs!)) : undefined;
      const srv = rs.every((r) => r.serverCpuMs !== undefined) ? median(rs.map((r) => r.serverCpuMs!)) : undefined;
      return {
        tool,
        'median MiB/s': median(speeds),
        'min MiB/s': Math.min(...speeds),
        'max MiB/s': Math.max(...speeds),
        'client CPU ms/GiB': perGiB(cpu),
        'server CPU ms/GiB': perGiB(srv),
        ...extra,
      };
    };
    const load = `load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`;
    const trusted = ratioSpread <= TRUSTED_SPREAD;
    return {
      name: 'download',
      description:
        `${sizeMiB} MiB from /api/view of the emulator, ${rounds} interleaved rounds (order rotates), ${load}.\n` +
        `Ratio = median over rounds of curl time / our time in the same round; per-round ratios ${ratios.map((r) => r.toFixed(2)).join(' ')}` +
        ` (spread ${ratioSpread.toFixed(2)}${trusted ? '' : `, above ${TRUSTED_SPREAD}: the machine was too noisy to trust this ratio; rerun with more --rounds or on a quiet machine`}).\n` +
        `curl does not fsync; the goal compares with ours without fsync, the default (fsync before rename) is the second row` +
        ` (ratio ${median(durableRatios).toFixed(2)}, per round ${durableRatios.map((r) => r.toFixed(2)).join(' ')}).`,
      rows: [
        row('ComfyClient.download, no fsync (sha256, atomic rename)', runs.ours, { 'RSS growth MiB': rssGrowth }),
        row('ComfyClient.download + fsync (default)', runs.durable),
        row('curl -s -o', runs.curl),
      ],
      goals: [
        { metric: 'throughput ours/curl (median of per-round ratios, no fsync on either side)', value: ratio, goal: '>= 0.9', ok: ratio >= 0.9 },
        { metric: 'RSS growth during download (MiB)', value: rssGrowth, goal: '<= 64', ok: rssGrowth <= 64 },
        { metric: 'round-to-round spread of the ratio ((max-min)/median)', value: ratioSpread, goal: `<= ${TRUSTED_SPREAD} (else the ratio is noise)`, ok: trusted },
      ],
      data: {
        sizeMiB,
        rounds,
        ratios,
        durableRatios,
        oursMs: runs.ours.map((r) => r.ms),
        curlMs: runs.curl.map((r) => r.ms),
        durableMs: runs.durable.map((r) => r.ms),
        oursCpuMs: runs.ours.map((r) => r.cpuMs),
        durableCpuMs: runs.durable.map((r) => r.cpuMs),
        serverCpuMs: { ours: runs.ours.map((r) => r.serverCpuMs), curl: runs.curl.map((r) => r.serverCpuMs), durable: runs.durable.map((r) => r.serverCpuMs) },
        rssGrowthBytes: [...runs.ours, ...runs.durable].map((r) => r.rssBytes),
        loadavgBefore: loadBefore,
        loadavgAfter: loadavg()[0],
        sha256: expected,
      },
    };
  } finally {
    server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

async function startServer(dataDir: string): Promise<{ url: string; pid: number | undefined; stop(): void }> {
  const script = fileURLToPath(new URL('./support/emulator-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  for await (const chunk of child.stdout) {
    out += String(chunk);
    const m = /READY (\S+)/.exec(out);
    if (m) return { url: m[1]!, pid: child.pid, stop: () => child.kill('SIGTERM') };
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
