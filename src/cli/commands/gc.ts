import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandSetup } from '../command-setup.js';
import { displayPath } from '../display-path.js';
import { UsageError } from '../errors/usage-error.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface GcCommandOptions {
  dryRun?: boolean;
  story: string[];
  keep: string[];
}

export function registerGc(program: Command, setup: CommandSetup): void {
  program
    .command('gc')
    .description("remove stored assets nothing uses: old versions of edited shots, and objects no task or renders/ link refers to")
    .argument('[project]', 'the project folder', '.')
    .option('--story <file>', "the story whose current tasks are kept (repeatable; default: the project's story.yaml)", collect, [])
    .option('--keep <task-hash>', 'also keep this task (repeatable; or list hashes in .storycore/pins)', collect, [])
    .option('--dry-run', 'list what would be removed; remove nothing')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ storycore gc --dry-run\n  $ storycore gc --story story.yaml --story teaser.yaml\n  $ storycore gc --keep 3f2a…(64 hex digits)')
    .action(async (project: string, options: GcCommandOptions, command: Command) => {
      const ctx = setup.context(command);
      const { config } = ctx.loadConfig();
      for (const hash of options.keep) {
        if (!/^[0-9a-f]{64}$/.test(hash)) throw new UsageError(`--keep ${hash}: not a task hash`, 'give the 64 hex digits of a task hash, as storycore status --json shows them');
      }
      const dir = resolve(ctx.io.cwd, project);
      const stories = options.story.length > 0 ? options.story.map((s) => resolve(ctx.io.cwd, s)) : [join(dir, 'story.yaml')].filter((s) => existsSync(s));
      const { planStory } = await import('../../engine/story-plan.js');
      const plans = stories.map((s) => planStory(s, ctx.io.cwd));
      const { AssetStore } = await import('../../assets/index.js');
      const { collectStoryGarbage } = await import('../../engine/story-gc.js');
      const store = await AssetStore.open(dir, { dataDir: config.paths.dataDir });
      try {
        const report = plans.length > 0 ? await collectStoryGarbage(store, plans, { dryRun: options.dryRun === true, pinned: options.keep }) : await store.gc({ dryRun: options.dryRun === true });
        if (ctx.json) return ctx.printJson({ stories: plans.map((p) => p.storyPath), ...report });
        if (plans.length === 0) ctx.info(`no story.yaml in ${displayPath(dir, ctx.io.cwd)}: every recorded task is kept (pass --story to collect old versions of shots)`);
        const verb = report.dryRun ? 'would remove' : 'removed';
        if (report.dryRun) {
          for (const t of report.tasks) ctx.out(`  task ${t.taskHash.slice(0, 12)} ${t.templateId} (recorded ${t.recordedAt}): no longer in the story`);
          for (const o of report.objects) ctx.out(`  object ${o.sha256.slice(0, 12)} ${(o.bytes / 1e6).toFixed(2)} MB`);
        }
        const mb = (report.bytesFreed / 1e6).toFixed(1);
        ctx.out(`${verb} ${report.tasksRemoved} old tasks, ${report.objectsRemoved} objects and ${report.manifestsRemoved} manifests (${mb} MB); kept ${report.objectsKept} objects`);
      } finally {
        await store.close();
      }
    });
}
