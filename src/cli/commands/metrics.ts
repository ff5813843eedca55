import { positiveNumber } from '../option-parsers.js';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { CommandSetup } from '../command-setup.js';

import { metricsStorePath } from '../../engine/metrics-path.js';

export { metricsStorePath };

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function registerMetrics(program: Command, setup: CommandSetup): void {
  program
    .command('metrics')
    .description('job phase times, worker utilisation, model loads and outcomes recorded by the dispatcher')
    .option('--json', 'print the summary as JSON')
    .option('--prometheus', 'print the Prometheus text exposition format')
    .option('--store <file>', 'the SQLite file the metrics are in (default: the queue file)')
    .option('--since <minutes>', 'only attempts that ended in the last N minutes', positiveNumber)
    .addHelpText(
      'after',
      `
Examples:
  $ storycore metrics
  $ storycore metrics --prometheus > /var/lib/node_exporter/storycore.prom
  $ storycore metrics --json --since 60`,
    )
    .action(async (options: { prometheus?: boolean; store?: string; since?: number }, command: Command) => {
      const ctx = setup.context(command);
      const { config } = ctx.loadConfig();
      const file = options.store ? ctx.path(options.store, '--store') : metricsStorePath(config, setup.io.cwd);
      const { MetricsStore, summarize, toPrometheus } = await import('../../scheduler/metrics/index.js');
      const since = options.since !== undefined ? Date.now() - options.since * 60_000 : 0;
      let records: ReturnType<InstanceType<typeof MetricsStore>['prompts']> = [];
      if (existsSync(file)) {
        const store = new MetricsStore(file);
        try {
          records = store.prompts(since);
        } finally {
          store.close();
        }
      }
      const summary = summarize(records);
      if (options.prometheus) {
        setup.io.stdout.write(toPrometheus(records, summary));
        return;
      }
      if (ctx.json) return ctx.printJson({ store: file, ...summary });
      if (records.length === 0) {
        ctx.out(`no job attempts recorded yet in ${file}`);
        return;
      }
      ctx.out(`metrics from ${file} (${records.length} attempts over ${secs(summary.window.ms)})`);
      const j = summary.jobs;
      ctx.out(`jobs: ${j.completed} completed, ${j.failed} failed, ${j.retried} retried, ${j.cancelled} cancelled, ${j.reattached} re-attached`);
      ctx.out('phase        p50        p95        max');
      for (const [phase, d] of Object.entries(summary.phases)) ctx.out(`${phase.padEnd(12)} ${secs(d.p50Ms).padStart(9)}  ${secs(d.p95Ms).padStart(9)}  ${secs(d.maxMs).padStart(9)}`);
      ctx.out('worker       gpu        util   done  failed  retried  model loads');
      for (const w of summary.workers) {
        ctx.out(`${w.worker.padEnd(12)} ${w.gpu.padEnd(10)} ${`${(w.utilisation * 100).toFixed(0)}%`.padStart(4)}  ${String(w.completed).padStart(5)}  ${String(w.failed).padStart(6)}  ${String(w.retried).padStart(7)}  ${String(w.modelLoads).padStart(11)}`);
      }
      if (summary.nodes.length > 0) {
        ctx.out('slowest nodes (total execution time):');
        for (const n of summary.nodes.slice(0, 5)) ctx.out(`  ${n.classType.padEnd(28)} ${secs(n.totalMs).padStart(9)} over ${n.count} runs (p50 ${secs(n.p50Ms)})`);
      }
    });
}
