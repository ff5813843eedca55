import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { formatTable, type BenchRunner } from './report.js';

/**
 * `npm run bench -- <name> [args…]`: runs one benchmark, prints its table and goals, and
 * writes the full report to bench/results/<name>-<time>.json. Exit code 1 when a goal is missed.
 */
const benchmarks: Record<string, () => Promise<BenchRunner>> = {
  download: async () => (await import('./download.js')).runDownloadBench,
  scheduler: async () => (await import('./scheduler.js')).runSchedulerBench,
  'dispatch-gap': async () => (await import('./dispatch-gap.js')).runDispatchGapBench,
  incremental: async () => (await import('./incremental.js')).runIncrementalBench,
  server: async () => (await import('./server.js')).runServerBench,
};
const planned = ['incremental'].filter((p) => !(p in benchmarks));

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  if (!name || !(name in benchmarks)) {
    const known = [...Object.keys(benchmarks), ...planned.map((p) => `${p} (not written yet)`)].join(', ');
    process.stderr.write(`usage: npm run bench -- <name>\nbenchmarks: ${known}\n`);
    return name && planned.includes(name) ? 2 : 64;
  }
  const run = await benchmarks[name]!();
  const report = await run(args);
  process.stdout.write(`\n${report.name}: ${report.description}\n\n${formatTable(report.rows)}\n\n`);
  for (const t of report.tables ?? []) process.stdout.write(`${t.title}\n\n${formatTable(t.rows)}\n\n`);
  for (const g of report.goals) process.stdout.write(`${g.ok ? 'ok  ' : 'MISS'} ${g.metric} = ${g.value.toFixed(3)} (goal ${g.goal})\n`);
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const file = `${dir}${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  await writeFile(file, `${JSON.stringify({ ...report, at: new Date().toISOString(), node: process.version }, null, 2)}\n`);
  process.stdout.write(`\nwrote ${file}\n`);
  return report.goals.every((g) => g.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
