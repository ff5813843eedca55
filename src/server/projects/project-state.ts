import { join } from 'node:path';
import { ProjectState } from '../../engine.js';
import type { StoryPlan } from '../../engine/story-plan.js';
import type { ServerContext } from '../server-context.js';

/** Runs `use` with a project's plan and its opened state (store and queue), closed after. */
export async function withProject<T>(ctx: ServerContext, project: string, use: (state: ProjectState, plan: StoryPlan, dir: string) => Promise<T>): Promise<T> {
  const dir = ctx.projects.dir(project);
  const { planStory } = await import('../../engine/story-plan.js');
  const plan = planStory(join(dir, 'story.yaml'), dir);
  const state = await ProjectState.open(ctx.config, dir);
  try {
    return await use(state, plan, dir);
  } finally {
    await state.close();
  }
}
