import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandSetup } from '../command-setup.js';
import { flagIf } from '../context.js';
import { displayPath } from '../display-path.js';
import { positiveNumber } from '../option-parsers.js';
import { createProgress, type ProgressDisplay } from '../progress.js';
import { parseGpuProfile } from '../sim-files.js';

interface DemoOptions {
  out?: string;
  profile?: string;
  timeScale?: number;
}

export function registerDemo(program: Command, setup: CommandSetup): void {
  program
    .command('demo')
    .description('run the example graphs end to end on the built-in emulator (no GPU needed)')
    .option('-o, --out <dir>', 'where outputs are saved [config paths.outputDir, default ./out]')
    .option('--profile <gpu>', 'emulated GPU [config sim.profile]')
    .option('--time-scale <x>', 'emulated time per real time [config sim.timeScale]', positiveNumber)
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ storycore demo\n  $ storycore demo --out demo-out --time-scale 0.1 --json')
    .action(async (options: DemoOptions, command: Command) => {
      const ctx = setup.context(command);
      const { config } = ctx.loadConfig([
        ...flagIf(options.out, 'paths.outputDir', '--out'),
        ...flagIf(options.profile, 'sim.profile', '--profile'),
        ...flagIf(options.timeScale, 'sim.timeScale', '--time-scale'),
      ]);
      const { runDemo } = await import('../../demo/index.js');
      const abort = new AbortController();
      const stop = ctx.stopSignal();
      void stop.promise.then(() => abort.abort());
      let progress: ProgressDisplay | undefined;
      try {
        const result = await runDemo({
          outDir: resolve(ctx.io.cwd, config.paths.outputDir),
          profile: parseGpuProfile(config.sim.profile, 'sim.profile'),
          timeScale: config.sim.timeScale,
          timeoutMs: config.defaults.timeoutMs,
          signal: abort.signal,
          onGraphStart(example, url) {
            progress?.stop();
            ctx.target = url;
            ctx.info(`running ${example.name} on the emulator at ${url}`);
            progress = createProgress(ctx, { title: example.name });
          },
          onProgress: (_example, p) => progress?.update(p),
        });
        progress?.stop();
        if (ctx.json) {
          ctx.printJson(result);
          return;
        }
        for (const graph of result.graphs) {
          for (const file of graph.files) ctx.out(`${file.sha256}  ${displayPath(file.path, ctx.io.cwd)}`);
        }
        ctx.info(`demo finished: ${result.graphs.length} graph(s), outputs under ${config.paths.outputDir}`);
      } finally {
        progress?.stop();
        stop.dispose();
      }
    });
}
