import type { Command } from 'commander';
import type { CommandSetup } from '../command-setup.js';
import { flagIf } from '../context.js';
import { displayPath } from '../display-path.js';
import { integerIn, positiveUpTo } from '../option-parsers.js';
import { reportLine, runGenerate } from './generate.js';
import { printRender, runRender } from './render.js';

interface DemoOptions {
  out?: string;
  profile?: string;
  timeScale?: number;
  workers?: number;
}

export function registerDemo(program: Command, setup: CommandSetup): void {
  program
    .command('demo')
    .description('the whole pipeline on built-in emulated GPUs: plan the example story, generate every shot, render the cut (an animatic, no GPU)')
    .option('-o, --out <dir>', 'the demo project folder (default ./storycore-demo, or a temp folder if that is taken)')
    .option('--workers <n>', 'emulated workers (default 2)', integerIn(1, 64))
    .option('--profile <gpu>', 'emulated GPU [config sim.profile]')
    .option('--time-scale <x>', 'emulated time per real time (default 0.02: 50× faster)', positiveUpTo(1000))
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ storycore demo\n  $ storycore demo --out /tmp/lighthouse --json')
    .action(async (options: DemoOptions, command: Command) => {
      const ctx = setup.context(command);
      const { prepareDemoProject, DEMO_TIME_SCALE, DEMO_WORKERS } = await import('../../demo/index.js');
      const { config } = ctx.loadConfig([
        ...flagIf(options.profile, 'sim.profile', '--profile'),
        { path: ['sim', 'timeScale'], value: options.timeScale ?? DEMO_TIME_SCALE, flag: '--time-scale' },
        { path: ['sim', 'workers'], value: options.workers ?? DEMO_WORKERS, flag: '--workers' },
      ]);
      const started = Date.now();
      const project = prepareDemoProject(ctx.io.cwd, options.out);
      const shots = project.story.scenes.flatMap((s) => s.shots);
      ctx.info(`demo project: ${project.dir}${project.reused ? ' (an earlier demo: stored shots are reused)' : ''}`);
      ctx.info(`planned ${shots.length} shots from ${displayPath(project.storyPath, ctx.io.cwd)} with the rule planner; generating on ${config.sim.workers} emulated ${config.sim.profile} workers`);
      const { planStory } = await import('../../engine/story-plan.js');
      const plan = planStory(project.storyPath, ctx.io.cwd, { allowedDirs: config.paths.allowedDirs, limits: config.limits });
      const generated = await runGenerate(ctx, config, plan, { sim: true, quietTable: true });
      ctx.info(reportLine(generated));
      const render = await runRender(ctx, config, plan);
      const elapsedMs = Date.now() - started;
      if (ctx.json) return ctx.printJson({ project: project.dir, story: project.storyPath, generate: generated, render, elapsedMs, animatic: true });
      printRender(ctx, render);
      ctx.out(`This is an animatic made by the StoryCore emulator (storyboard cards, not model output): it checks the pipeline end to end. Done in ${(elapsedMs / 1000).toFixed(1)} s.`);
      ctx.info(`next: cd ${displayPath(project.dir, ctx.io.cwd)} && storycore status; edit story.yaml and run storycore generate --sim && storycore render: only changed shots run again`);
    });
}
