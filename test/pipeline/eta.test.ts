import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/cli/commands/generate.js';
import type { GenerateEvent } from '../../src/engine/generate.js';
import { GPU_PROFILES } from '../../src/catalog/cost/gpu-profiles.js';
import { estimatedSeconds, TaskEta } from '../../src/engine/task-eta.js';
import { modelBytes } from '../../src/scheduler/router/index.js';
import { demoProject, generateOnSim } from './support/project.js';

type TaskEvent = Extract<GenerateEvent, { type: 'task' }>;

describe('the ETA of a generate run', () => {
  it('counts the clips still waiting for their keyframes, and says when it is only the catalogue estimate', async () => {
    const project = demoProject();
    const events: TaskEvent[] = [];
    await generateOnSim(project.story, { onEvent: (e) => (e.type === 'task' ? events.push(e) : undefined) });

    const first = events.find((e) => e.task.status === 'running')!;
    expect(first.etaMs).toBeGreaterThan(0);
    expect(first.etaGuess).toBe(true);
    expect(progressLine(first)).toMatch(/ETA ~\S+ \(catalogue estimate, nothing finished yet\)/);

    // When the first keyframe is done, 7 keyframes and all 8 clips are left; the clips (SVD, 25
    // steps) take far longer than a one-step SDXL-Turbo keyframe, so the time left is many
    // times what the finished keyframe took (before, only the 7 ready keyframes were counted).
    const done = events.find((e) => e.task.status === 'ran')!;
    expect(done.task.key).toMatch(/keyframe$/);
    expect(done.etaGuess).toBe(false);
    expect(done.etaMs!).toBeGreaterThan(10 * done.task.ms!);
    expect(progressLine(done)).not.toContain('catalogue estimate');
  }, 120_000);

  it('scales a template not seen yet by how far off the catalogue was on those that were', () => {
    const eta = new TaskEta();
    eta.add('a/keyframe', 'sdxl-turbo-t2i', {});
    eta.add('a/clip', 'svd-i2v', {});
    const keyframe = estimatedSeconds('sdxl-turbo-t2i', {}, 'rtx4090');
    const clip = estimatedSeconds('svd-i2v', {}, 'rtx4090');
    expect(eta.isGuess()).toBe(true);
    expect(eta.remainingMs()).toBe(Math.round((keyframe + clip) * 1000));
    eta.observe('a/keyframe', 5_000);
    expect(eta.isGuess()).toBe(false);
    expect(eta.remainingMs()).toBe(Math.round(clip * (5_000 / keyframe)));
  });

  it('a first guess includes loading each model once, by the router\'s cost model; observed times replace it', () => {
    const eta = new TaskEta();
    eta.add('a/keyframe', 'sdxl-turbo-t2i', {}, ['sd_xl_turbo_1.0_fp16.safetensors']);
    eta.add('b/keyframe', 'sdxl-turbo-t2i', {}, ['sd_xl_turbo_1.0_fp16.safetensors']);
    const run = estimatedSeconds('sdxl-turbo-t2i', {}, 'rtx4090') * 1000;
    const bytes = modelBytes('sd_xl_turbo_1.0_fp16.safetensors');
    const profile = GPU_PROFILES.rtx4090;
    const load = (bytes / profile.diskBytesPerSec + bytes / profile.hostToDeviceBytesPerSec) * 1000;
    expect(load).toBeGreaterThan(0);
    expect(eta.remainingMs()).toBe(Math.round(2 * run + load));
    eta.observe('a/keyframe', 9_000);
    expect(eta.remainingMs()).toBe(9_000);
  });
});
