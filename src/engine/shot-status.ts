import type { TaskOutput } from '../assets/index.js';
import type { ProjectState } from '../engine.js';
import { storyJobs } from './generate.js';
import type { StoryPlan } from './story-plan.js';
import { storedTasks } from './stored-tasks.js';

export interface TaskState {
  key: string;
  stage: string;
  templateId: string;
  /** stored, a queue state (waiting, ready, leased, failed), not generated, or waiting for input. */
  state: string;
  taskHash?: string;
  outputs?: TaskOutput[];
}

export interface ShotState {
  shot: string;
  tasks: TaskState[];
}

/**
 * Per shot and stage: stored, queued or running (from the durable queue), not generated yet,
 * or waiting for an input. Reads only; what `status` and the API show.
 */
export async function shotStates(state: ProjectState, plan: StoryPlan): Promise<{ shots: ShotState[]; queue: Record<string, number> }> {
  const stored = await storedTasks(state.store, plan);
  const jobs = storyJobs(await state.queue.list(), plan.storyPath);
  const shots: ShotState[] = plan.graph.shots.map((shot) => ({
    shot,
    tasks: plan.graph.tasks
      .filter((t) => t.shotId === shot)
      .map((t) => {
        const s = stored.get(t.key);
        const job = s?.hash ? (jobs.get(t.key) ?? []).filter((j) => j.id.startsWith(s.hash!)).at(-1) : undefined;
        const taskState = s?.outputs ? 'stored' : job && !['completed', 'cancelled'].includes(job.state) ? job.state : s?.hash ? 'not generated' : 'waiting for input';
        return { key: t.key, stage: t.stage, templateId: t.templateId, state: taskState, ...(s?.hash ? { taskHash: s.hash } : {}), ...(s?.outputs ? { outputs: s.outputs } : {}) };
      }),
  }));
  return { shots, queue: await state.queue.counts() };
}
