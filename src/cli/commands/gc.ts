import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandSetup } from '../command-setup.js';

export function registerGc(program: Command, setup: CommandSetup): void {
  program
    .command('gc')
    .description('remove stored objects and manifests nothing refers to (no task, no renders/ link)')
    .argument('[project]', 'the project folder', '.')
    .option('--dry-run', 'list what would be removed; remove nothing')
    .option('--json', 'print JSON')
    .action(async (project: string, options: { dryRun?: boolean }, command: Command) => {
      const ctx = setup.context(command);
      const { config } = ctx.loadConfig();
      const { AssetStore } = await import('../../assets/index.js');
      const store = await AssetStore.open(resolve(ctx.io.cwd, project), { dataDir: config.paths.dataDir });
      try {
        const report = await store.gc({ dryRun: options.dryRun === true });
        if (ctx.json) return ctx.printJson(report);
        const mb = (report.bytesFreed / 1e6).toFixed(1);
        ctx.out(`${report.dryRun ? 'would remove' : 'removed'} ${report.objectsRemoved} objects and ${report.manifestsRemoved} manifests (${mb} MB); kept ${report.objectsKept} objects`);
      } finally {
        await store.close();
      }
    });
}
