import type { AssetStore, GcReport } from '../assets/index.js';
import type { StoryPlan } from './story-plan.js';
import { storedTasks } from './stored-tasks.js';

/**
 * Garbage collection for a project's stories: what stays is the stored tasks of the current
 * version of each story (their outputs and inputs), anything pinned, and what renders/ shows.
 * Indexed tasks of old versions of edited shots are forgotten and their assets collected.
 */
export async function collectStoryGarbage(store: AssetStore, plans: readonly StoryPlan[], options: { dryRun?: boolean; pinned?: readonly string[] } = {}): Promise<GcReport> {
  const keepTasks = new Set<string>();
  for (const plan of plans) {
    for (const stored of (await storedTasks(store, plan)).values()) if (stored.hash) keepTasks.add(stored.hash);
  }
  return store.gc({ dryRun: options.dryRun === true, keepTasks, pinned: options.pinned ?? [] });
}
