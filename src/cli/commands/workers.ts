import type { Command } from 'commander';
import type { CommandSetup } from '../command-setup.js';
import { buildWorkerReport, formatWorkerReport } from '../worker-report.js';
import { resolveWorker } from '../worker-target.js';

export function registerWorkers(program: Command, setup: CommandSetup): void {
  const workers = program.command('workers').description('inspect ComfyUI workers');
  workers
    .command('check')
    .description('show a worker\'s GPU, VRAM, ComfyUI/Python/PyTorch versions, queue and node count')
    .argument('<url|name>', 'worker URL (http://host:8188) or the name of a configured worker')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ storycore workers check http://127.0.0.1:8188
  $ storycore workers check gpu-1 --json     # a worker named in storycore.config.yaml`,
    )
    .action(async (target: string, _options, command: Command) => {
      const ctx = setup.context(command);
      const { config } = ctx.loadConfig();
      const endpoint = resolveWorker(target, config);
      ctx.target = endpoint.url;
      const { ComfyClient } = await import('../../comfy/client/index.js');
      // A check should answer fast: no socket, no retries of a refused connection.
      const client = new ComfyClient(endpoint, { socket: false, getRetries: 0, requestTimeoutMs: 10_000 });
      try {
        const [stats, queue, objectInfo] = await Promise.all([client.systemStats(), client.queue(), client.objectInfo()]);
        const report = buildWorkerReport(endpoint.url, stats, queue, objectInfo);
        if (ctx.json) ctx.printJson(report);
        else for (const line of formatWorkerReport(report)) ctx.out(line);
      } finally {
        client.close();
      }
    });
}
