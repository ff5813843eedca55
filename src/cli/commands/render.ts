import { resolveProjectPath } from '../../platform/project-path.js';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { StoryCoreConfig } from '../../config/index.js';
import type { RenderReport } from '../../engine/render-story.js';
import type { StoryPlan } from '../../engine/story-plan.js';
import type { CommandSetup } from '../command-setup.js';
import type { CliContext } from '../context.js';
import { displayPath } from '../display-path.js';

interface RenderOptions {
  out?: string;
  force?: boolean;
}

export function registerRender(program: Command, setup: CommandSetup): void {
  program
    .command('render')
    .description('assemble the final cut, contact sheet and previews from the stored assets; write provenance.json and ATTRIBUTION.md')
    .argument('[story.yaml]', 'the story file', 'story.yaml')
    .option('-o, --out <dir>', 'output folder, relative to the project [config paths.outputDir, default out]')
    .option('--force', 'render the cut again even if none of its inputs changed')
    .option('--json', 'print JSON')
    .action(async (file: string, options: RenderOptions, command: Command) => {
      const ctx = setup.context(command);
      const { config } = ctx.loadConfig();
      const { planStory } = await import('../../engine/story-plan.js');
      const plan = planStory(file, ctx.io.cwd, { allowedDirs: config.paths.allowedDirs, limits: config.limits });
      const report = await runRender(ctx, config, plan, options);
      if (ctx.json) ctx.printJson(report);
      else printRender(ctx, report);
    });
}

export async function runRender(ctx: CliContext, config: StoryCoreConfig, plan: StoryPlan, options: RenderOptions = {}): Promise<RenderReport> {
  const { ProjectState } = await import('../../engine.js');
  const { renderStory } = await import('../../engine/render-story.js');
  const state = await ProjectState.open(config, plan.projectDir);
  try {
    const outDir = resolveProjectPath(options.out ?? config.paths.outputDir, { projectDir: plan.projectDir, allowedDirs: config.paths.allowedDirs }, options.out ? '--out' : 'paths.outputDir');
    return await renderStory(state.store, plan, { outDir, ...(options.force ? { force: true } : {}) });
  } finally {
    await state.close();
  }
}

export function printRender(ctx: CliContext, report: RenderReport): void {
  const cwd = ctx.io.cwd;
  ctx.out(`final cut     ${displayPath(report.finalPath, cwd)}  ${report.durationSec.toFixed(2)} s, ${report.frames} frames, ${report.width}×${report.height} at ${report.fps} fps${report.reused ? ' (unchanged, kept)' : ''}`);
  ctx.out(`contact sheet ${displayPath(report.contactSheet, cwd)}`);
  ctx.out(`previews      ${report.previews.length} in ${displayPath(resolve(report.contactSheet, '..', 'previews'), cwd)}`);
  ctx.out(`provenance    ${displayPath(report.provenance, cwd)}, ${displayPath(report.attribution, cwd)}; ${report.manifests} asset manifests`);
  if (report.stills.length) ctx.info(`shown as stills (no clip yet): ${report.stills.join(', ')}`);
  if (report.missing.length) ctx.info(`left out (nothing generated yet): ${report.missing.join(', ')}`);
  for (const note of report.notes) ctx.info(`note: ${note}`);
  if (ctx.verbose) for (const a of report.adjustments) ctx.info(`${a.shotId}: ${a.message}`);
}
