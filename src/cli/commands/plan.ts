import { integerIn, oneOf, plannerKind } from '../option-parsers.js';
import { QUALITY_IDS, STYLE_IDS } from '../../story/format/vocabulary.js';
import { InputLimitError } from '../../platform/errors/input-limit-error.js';
import { readBoundedText } from '../../platform/bounded-file.js';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandSetup } from '../command-setup.js';
import { flagIf } from '../context.js';
import { displayPath } from '../display-path.js';
import { UsageError } from '../errors/usage-error.js';

interface PlanCommandOptions {
  out?: string;
  planner?: 'rules' | 'llm';
  quality?: string;
  style?: string;
  fps?: number;
  title?: string;
  commercial?: boolean;
  force?: boolean;
}

export function registerPlan(program: Command, setup: CommandSetup): void {
  program
    .command('plan')
    .description('turn a plain-text or Markdown story into story.yaml: scenes, shots, camera, durations and prompts')
    .argument('<story.md>', 'the story text')
    .option('-o, --out <story.yaml>', 'where to write the plan (default: story.yaml beside the text)')
    .option('--planner <kind>', 'rules (default, needs nothing) or llm (an OpenAI-compatible endpoint) [config planner.kind]', plannerKind)
    .option('--quality <preset>', 'draft, standard or final', oneOf(QUALITY_IDS))
    .option('--style <id>', 'visual style preset, e.g. cinematic, noir, anime', oneOf(STYLE_IDS))
    .option('--fps <n>', 'frames per second of the cut', integerIn(1, 120))
    .option('--title <text>', 'project title (default: the first heading)')
    .option('--commercial', 'refuse models whose licence forbids commercial use')
    .option('--force', 'replace a story.yaml that was edited since it was planned (the old one is kept as story.yaml.bak)')
    .option('--json', 'print JSON')
    .action(async (text: string, options: PlanCommandOptions, command: Command) => {
      const ctx = setup.context(command);
      const { config } = ctx.loadConfig(flagIf(options.planner, 'planner.kind', '--planner'));
      const source = resolve(ctx.io.cwd, text);
      let body: string;
      try {
        body = readBoundedText(source, text, config.limits, { json: false });
      } catch (cause) {
        if (cause instanceof InputLimitError) throw cause;
        throw new UsageError(`cannot read ${text}: ${(cause as Error).message}`, 'pass the path of a .md or .txt story');
      }
      const { createPlanner } = await import('../../story/planners/index.js');
      const { savePlannedStory } = await import('../../story/format/index.js');
      const planner = createPlanner(config.planner);
      const story = await planner.plan(body, {
        ...(options.title ? { title: options.title } : {}),
        ...(options.quality ? { quality: options.quality as never } : {}),
        ...(options.style ? { style: options.style as never } : {}),
        ...(options.fps ? { fps: options.fps } : {}),
        ...(options.commercial ? { commercial: true } : {}),
      });
      const out = options.out ? ctx.path(options.out, '--out') : resolve(ctx.io.cwd, join(dirname(source), 'story.yaml'));
      const { backup } = savePlannedStory(story, out, { force: options.force === true, displayName: displayPath(out, ctx.io.cwd) });
      if (backup) ctx.info(`kept the edited story as ${displayPath(backup, ctx.io.cwd)}`);
      const shots = story.scenes.flatMap((s) => s.shots);
      const seconds = shots.reduce((sum, s) => sum + s.duration, 0);
      if (ctx.json) return ctx.printJson({ out, ...(backup ? { backup } : {}), planner: planner.kind, scenes: story.scenes.length, shots: shots.length, seconds, story });
      ctx.out(`${displayPath(out, ctx.io.cwd)}: ${story.scenes.length} scenes, ${shots.length} shots, ${seconds.toFixed(1)} s (${planner.kind} planner)`);
      ctx.info(`next: storycore generate ${displayPath(out, ctx.io.cwd)} (add --sim for an animatic on the built-in emulator)`);
    });
}
