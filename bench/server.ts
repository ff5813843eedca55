import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { AssetStore } from '../src/assets/index.js';
import { loadConfig } from '../src/config/index.js';
import { ProjectState } from '../src/engine.js';
import { shotStates } from '../src/engine/shot-status.js';
import { planStory } from '../src/engine/story-plan.js';
import { KeyStore } from '../src/server/auth/key-store.js';
import { freePort } from '../test/support/real-comfyui.js';
import type { BenchReport } from './report.js';
import { median } from './support/rounds.js';

const BIN = fileURLToPath(new URL('../bin/storycore.js', import.meta.url));
const SAMPLE = fileURLToPath(new URL('../examples/stories/story.yaml', import.meta.url));

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

/** The sample story with its shots repeated to `count` (ids renumbered), for a big run. */
function bigStory(count: number): string {
  const story = parse(readFileSync(SAMPLE, 'utf8')) as { scenes: { shots: Record<string, unknown>[] }[] };
  const shots = story.scenes.flatMap((s) => s.shots);
  const scene = { ...story.scenes[0]!, shots: Array.from({ length: count }, (_, i) => ({ ...shots[i % shots.length]!, id: `shot-${String(i + 1).padStart(3, '0')}`, transition: 'cut' })) };
  return stringify({ ...story, scenes: [scene] });
}

/** A child process started in `dir`, resolved once it printed `ready` on stdout. */
async function child(dir: string, args: string[], ready: string): Promise<ChildProcess> {
  const proc = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes(ready)) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}`)));
  });
  return proc;
}

/** The plainest HTTP file server (node:http + a read stream): the baseline for the asset route. */
const PLAIN_FILE_SERVER = `
const http = require('node:http'); const fs = require('node:fs');
const [file, port] = process.argv.slice(1);
http.createServer((req, res) => { res.writeHead(200, { 'content-length': fs.statSync(file).size }); fs.createReadStream(file).pipe(res); })
  .listen(Number(port), '127.0.0.1', () => console.log('listening'));`;

/** Opens `n` SSE streams; each records the lag (receipt − the event's server timestamp) of every event. */
function subscribe(url: string, key: string, n: number, lags: number[], received: { count: number }): { close(): void; ready: Promise<void> } {
  const aborts: AbortController[] = [];
  const opened: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const abort = new AbortController();
    aborts.push(abort);
    opened.push((async () => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${key}` }, signal: abort.signal });
      const decoder = new TextDecoder();
      let buffer = '';
      void (async () => {
        try {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            const now = Date.now();
            buffer += decoder.decode(chunk, { stream: true });
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const data = block.split('\n').find((l) => l.startsWith('data: '));
              if (!data || !block.includes('\nid: ') && !block.startsWith('id: ')) continue;
              const at = (JSON.parse(data.slice(6)) as { at?: string }).at;
              if (at) lags.push(now - Date.parse(at));
              received.count++;
            }
          }
        } catch { /* aborted */ }
      })();
    })());
  }
  return { close: () => aborts.forEach((a) => a.abort()), ready: Promise.all(opened).then(() => undefined) };
}

function curlSeconds(args: string[]): number {
  const r = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{time_total}', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`curl failed: ${r.stderr}`);
  return Number(r.stdout);
}

/**
 * The server under load, in its own process with two emulated workers:
 * (1) 500 SSE subscribers on one 100-shot run: event lag p50/p99 and the server's RSS growth;
 * (2) the shot list over HTTP at a fixed rate against the same engine call made in process:
 *     the added latency at p99;
 * (3) an asset download through the server against the plainest node file server, both by curl.
 */
export async function runServerBench(args: string[]): Promise<BenchReport> {
  const arg = (name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
  const subscribers = arg('subscribers', 500);
  const shotCount = arg('shots', 100);
  const rate = arg('rate', 20);
  const assetMiB = arg('asset-mib', 256);
  const parts = new Set((args.find((a) => a.startsWith('--parts='))?.split('=')[1] ?? 'sse,list,asset').split(','));
  const dir = mkdtempSync(join(tmpdir(), 'storycore-bench-server-'));
  mkdirSync(join(dir, '.storycore'), { recursive: true });
  const { filesForFolder } = await import('../src/catalog/models/index.js');
  writeFileSync(join(dir, 'models.json'), JSON.stringify(filesForFolder()));
  // The bench's own polling would trip the per-key rate limit (600 a minute by default).
  const simPortsConfig = (simPort: number) => `server:\n  rateLimitPerMinute: 1000000\nworkers:\n  - { name: sim-1, url: "http://127.0.0.1:${simPort}" }\n  - { name: sim-2, url: "http://127.0.0.1:${simPort + 1}" }\n`;
  const keys = new KeyStore(join(dir, '.storycore', 'server.db'));
  const key = keys.create({ name: 'bench', scopes: ['admin'] }).key;
  keys.close();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  // Workers in their own process: their cost is not the server's.
  const simPort = await freePort();
  writeFileSync(join(dir, 'storycore.config.yaml'), simPortsConfig(simPort));
  const sim = await child(dir, [BIN, 'sim', '--workers', '2', '--port', String(simPort), '--time-scale', '0.02', '--profile', 'rtx4090', '--models', join(dir, 'models.json')], `127.0.0.1:${simPort + 1}`);
  const server = await child(dir, [BIN, 'serve', '--port', String(port), '--quiet'], 'StoryCore API at');
  const procs: ChildProcess[] = [sim, server];
  try {
    const created = await fetch(`${base}/api/projects`, { method: 'POST', headers, body: JSON.stringify({ id: 'big', from: 'yaml', yaml: bigStory(shotCount) }) });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);

    // (1) SSE fan-out during a run.
    const lags: number[] = [];
    const received = { count: 0 };
    const rssBefore = rssMiB(server.pid!);
    let rssSubscribed = rssBefore;
    let peakRss = rssBefore;
    if (parts.has('sse')) {
      const subs = subscribe(`${base}/api/events?project=big`, key, subscribers, lags, received);
      await subs.ready;
      rssSubscribed = rssMiB(server.pid!);
      const run = await (await fetch(`${base}/api/projects/big/runs`, { method: 'POST', headers, body: JSON.stringify({ kind: 'generate' }) })).json() as { id: string };
      peakRss = rssSubscribed;
      for (;;) {
        await new Promise((r) => setTimeout(r, 250));
        peakRss = Math.max(peakRss, rssMiB(server.pid!));
        const state = (await (await fetch(`${base}/api/projects/big/runs/${run.id}`, { headers })).json() as { state: string }).state;
        if (state !== 'running') break;
      }
      await new Promise((r) => setTimeout(r, 500));
      subs.close();
    }

    // (2) Shot list: HTTP at a fixed rate vs the same call in process.
    const http: number[] = [];
    const samples = parts.has('list') ? rate * 10 : 1;
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/projects/big/shots`, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`shot list answered ${res.status}`);
      http.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 / rate - (performance.now() - t0))));
    }
    const { config } = loadConfig({ cwd: dir, env: {} });
    const projectDir = join(dir, 'projects', 'big');
    const inProcess: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      const plan = planStory(join(projectDir, 'story.yaml'), projectDir);
      const state = await ProjectState.open(config, projectDir);
      try {
        JSON.stringify(await shotStates(state, plan));
      } finally {
        await state.close();
      }
      inProcess.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 / rate - (performance.now() - t0))));
    }

    // (3) Asset download: through the server vs curl on the file itself.
    const store = await AssetStore.open(projectDir);
    const { sha256 } = await store.ingest(randomBytes(assetMiB * 1024 * 1024));
    const objectPath = store.objectPath(sha256);
    await store.close();
    const plainPort = await freePort();
    procs.push(await child(dir, ['-e', PLAIN_FILE_SERVER, objectPath, String(plainPort)], 'listening'));
    const viaServer: number[] = [];
    const direct: number[] = [];
    for (let round = 0; round < (parts.has('asset') ? 5 : 1); round++) {
      const order = round % 2 ? ['direct', 'server'] : ['server', 'direct'];
      for (const which of order) {
        if (which === 'server') viaServer.push(curlSeconds(['-H', `authorization: Bearer ${key}`, `${base}/api/projects/big/assets/${sha256}`]));
        else direct.push(curlSeconds([`http://127.0.0.1:${plainPort}/`]));
      }
    }
    const ratios = viaServer.map((s, i) => direct[i]! / s);

    const p50 = percentile(lags, 50);
    const p99 = percentile(lags, 99);
    const rssGrowth = peakRss - rssBefore;
    const added = percentile(http, 99) - percentile(inProcess, 99);
    const ratio = median(ratios);
    return {
      name: 'server',
      description: `${subscribers} SSE subscribers on a ${shotCount}-shot run (2 emulated workers); shot list at ${rate}/s; a ${assetMiB} MiB asset`,
      rows: [
        { measure: 'SSE event lag p50 (ms)', value: p50 },
        { measure: 'SSE event lag p99 (ms)', value: p99 },
        { measure: 'events delivered', value: received.count },
        { measure: 'server RSS before / with subscribers / peak (MiB)', value: `${rssBefore.toFixed(0)} / ${rssSubscribed.toFixed(0)} / ${peakRss.toFixed(0)}` },
        { measure: 'shot list p50 / p99 over HTTP (ms)', value: `${percentile(http, 50).toFixed(1)} / ${percentile(http, 99).toFixed(1)}` },
        { measure: 'shot list p50 / p99 in process (ms)', value: `${percentile(inProcess, 50).toFixed(1)} / ${percentile(inProcess, 99).toFixed(1)}` },
        { measure: 'asset MiB/s: our route / plain node file server, both fetched by curl (medians)', value: `${(assetMiB / median(viaServer)).toFixed(0)} / ${(assetMiB / median(direct)).toFixed(0)}` },
      ],
      goals: [
        { metric: 'SSE event lag p99 (ms)', value: p99, goal: '<= 50', ok: p99 <= 50 },
        { metric: 'server RSS growth (MiB)', value: rssGrowth, goal: '<= 150', ok: rssGrowth <= 150 },
        { metric: 'shot list added latency p99 (ms)', value: added, goal: '<= 5', ok: added <= 5 },
        { metric: 'asset throughput / curl', value: ratio, goal: '>= 0.8', ok: ratio >= 0.8 },
      ],
      data: { lags: lags.length, http, inProcess, viaServer, direct },
    };
  } finally {
    for (const p of procs) {
      p.kill('SIGTERM');
      await new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
