import { createHash } from 'node:crypto';
import type { Shot, Story } from '../format/schema.js';
import type { TaskStage } from './story-task.js';

/** Largest seed we derive: 2^48, well inside ComfyUI's range and exact in JSON. */
const SEED_SPACE = 2 ** 48;

/**
 * The seed of one stage of one shot: the shot's own `seed`, else the lead character's, else a
 * hash of the project seed, the shot id and the stage. Deterministic, so the same story always
 * asks for the same images; independent per shot, so editing one shot changes no other seed.
 */
export function shotSeed(story: Pick<Story, 'seed' | 'characters'>, shot: Pick<Shot, 'id' | 'seed' | 'characters'>, stage: TaskStage): number {
  if (shot.seed !== undefined) return stage === 'keyframe' ? shot.seed : derived(shot.seed, shot.id, stage);
  const lead = shot.characters.map((id) => story.characters.find((c) => c.id === id)).find((c) => c?.seed !== undefined);
  if (lead?.seed !== undefined) return stage === 'keyframe' ? lead.seed : derived(lead.seed, shot.id, stage);
  return derived(story.seed, shot.id, stage);
}

function derived(base: number, shotId: string, stage: TaskStage): number {
  const digest = createHash('sha256').update(`${base}\u0000${shotId}\u0000${stage}`).digest();
  return digest.readUIntBE(0, 6) % SEED_SPACE;
}
