import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStory, savePlannedStory, type Story } from '../story/format/index.js';
import { planStoryByRules } from '../story/planners/index.js';
import { ensureDirSync } from '../platform/ensure-dir.js';

/** The demo story: the text, and the story.yaml whose project settings (draft preset, 512×288) the demo plans with. */
export const DEMO_STORY_DIR = fileURLToPath(new URL('../../examples/stories/', import.meta.url));
export const DEMO_MARKDOWN = 'the-lighthouse.md';
export const DEMO_SETTINGS = 'story.yaml';
/** Emulated workers and time scale of the demo: two GPUs, 50× faster than real time. */
export const DEMO_WORKERS = 2;
export const DEMO_TIME_SCALE = 0.02;

export interface DemoProject {
  dir: string;
  storyPath: string;
  /** True when the folder already held an earlier demo (its stored assets are reused). */
  reused: boolean;
  story: Story;
}

/**
 * Makes the demo project: `dir` (default ./storycore-demo, or a fresh temp folder when that
 * is taken by something else) with the-lighthouse.md copied in and planned by the rule
 * planner into story.yaml, with the example's project settings.
 */
export function prepareDemoProject(cwd: string, out?: string): DemoProject {
  const dir = chooseDir(cwd, out);
  const reused = existsSync(join(dir, '.storycore'));
  ensureDirSync(dir);
  const markdown = join(dir, DEMO_MARKDOWN);
  copyFileSync(join(DEMO_STORY_DIR, DEMO_MARKDOWN), markdown);
  const settings = loadStory(join(DEMO_STORY_DIR, DEMO_SETTINGS));
  const story = planStoryByRules(readFileSync(markdown, 'utf8'), {
    title: settings.title,
    style: settings.style,
    aspect: settings.aspect,
    quality: settings.quality,
    fps: settings.fps,
    commercial: settings.commercial,
    seed: settings.seed,
    render: settings.render,
  });
  const storyPath = join(dir, 'story.yaml');
  savePlannedStory(story, storyPath, { schema: false, hint: 'the demo writes its own story.yaml: give it an empty folder with --out' });
  return { dir, storyPath, reused, story };
}

function chooseDir(cwd: string, out: string | undefined): string {
  if (out) return resolve(cwd, out);
  const preferred = resolve(cwd, 'storycore-demo');
  const free = !existsSync(preferred) || readdirSync(preferred).length === 0 || existsSync(join(preferred, '.storycore'));
  return free ? preferred : mkdtempSync(join(tmpdir(), 'storycore-demo-'));
}
