import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../../../src/config/index.js';
import { generateStory, type GenerateOptions, type GenerateReport } from '../../../src/engine/generate.js';
import { ProjectSession } from '../../../src/engine/project-session.js';
import { planStory, type StoryPlan } from '../../../src/engine/story-plan.js';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const EXAMPLE_YAML = join(REPO, 'examples/stories/story.yaml');

/** A fresh project folder holding a copy of the demo story (8 shots, draft preset, 512×288). */
export function demoProject(edit?: (yaml: string) => string): { dir: string; story: string } {
  const dir = mkdtempSync(join(tmpdir(), 'storycore-pipeline-'));
  const story = join(dir, 'story.yaml');
  copyFileSync(EXAMPLE_YAML, story);
  if (edit) writeFileSync(story, edit(readFileSync(story, 'utf8')));
  return { dir, story };
}

export interface SimRun {
  plan: StoryPlan;
  report: GenerateReport;
  /** Prompts the emulated workers accepted in this run (0 when no worker had to be started). */
  submissions: number;
  /** Submissions per prompt's task key, from the emulators' counters and the report. */
  ranKeys: string[];
}

/** One `generate --sim` run, in-process, on fresh emulators (2 workers, 100× faster than real time). */
export async function generateOnSim(story: string, options: GenerateOptions = {}): Promise<SimRun> {
  const plan = planStory(story, REPO);
  const session = await ProjectSession.open({ config: defaultConfig(), plan, cwd: plan.projectDir, sim: { workers: 2, profile: 'rtx4090', timeScale: 0.01 } });
  try {
    const report = await generateStory(session, plan, options);
    const submissions = (await session.emulators()).reduce((n, e) => n + e.stats.submissions, 0);
    return { plan, report, submissions, ranKeys: report.tasks.filter((t) => t.status === 'ran').map((t) => t.key).sort() };
  } finally {
    await session.close();
  }
}
