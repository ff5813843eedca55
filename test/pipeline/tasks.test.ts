import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { LicencePolicyError } from '../../src/assets/index.js';
import { defaultConfig } from '../../src/config/index.js';
import { ProjectState } from '../../src/engine.js';
import { planStory } from '../../src/engine/story-plan.js';
import { storedTasks } from '../../src/engine/stored-tasks.js';
import { loadStory } from '../../src/story/format/index.js';
import { expandStory, matchShots } from '../../src/story/tasks/index.js';
import { demoProject } from './support/project.js';

const finalQuality = (yaml: string) => yaml.replace('quality: draft', 'quality: final').replace(/\nrender:[\s\S]*$/, '\n');

describe('shot → task expansion', () => {
  it('gives every shot a keyframe and a clip fed by it, with seeds fixed per shot and stage', () => {
    const project = demoProject();
    const story = loadStory(project.story);
    const { tasks } = expandStory(story, { storyDir: project.dir });
    expect(tasks.map((t) => t.key).slice(0, 4)).toEqual(['shot-001/keyframe', 'shot-001/clip', 'shot-002/keyframe', 'shot-002/clip']);
    const clip = tasks.find((t) => t.key === 'shot-003/clip')!;
    expect(clip.inputs).toEqual([{ role: 'start_image', param: 'image', kind: 'image', from: { task: 'shot-003/keyframe' } }]);
    expect(clip.params).toMatchObject({ width: 512, height: 288, frames: 14, fps: 6 });
    const again = expandStory(story, { storyDir: project.dir }).tasks;
    expect(again.map((t) => t.params.seed)).toEqual(tasks.map((t) => t.params.seed));
    expect(new Set(tasks.map((t) => t.params.seed)).size).toBe(tasks.length);
    // A shot's fixed seed is its keyframe's; other shots keep theirs.
    const shot = story.scenes[0]!.shots[1]!;
    shot.seed = 7;
    const seeded = expandStory(story, { storyDir: project.dir }).tasks;
    expect(seeded.find((t) => t.key === 'shot-002/keyframe')!.params.seed).toBe(7);
    expect(seeded.find((t) => t.key === 'shot-001/keyframe')!.params.seed).toBe(tasks[0]!.params.seed);
  });

  it('turns durations into frames at the template frame rate: Wan 2.2 14B two-pass, 5 s → 81 frames at 16 fps', () => {
    const project = demoProject(finalQuality);
    const { tasks } = expandStory(loadStory(project.story), { storyDir: project.dir });
    const clip = tasks.find((t) => t.key === 'shot-004/clip')!;
    expect(clip.templateId).toBe('wan22-i2v-14b');
    expect(clip.output).toMatchObject({ kind: 'video', frames: 81, fps: 16 });
    expect(tasks.find((t) => t.key === 'shot-004/interpolation')!.params).toMatchObject({ frames: 81, fps: 16 });
  });

  it('uses a reference-based template for shots of a character with reference images', async () => {
    const project = demoProject((yaml) => yaml.replace('description: a young fisherman in a red knit cap', 'description: a young fisherman in a red knit cap\n    references: [ tom.png ]'));
    await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 20, b: 20 } } }).png().toFile(join(project.dir, 'tom.png'));
    const plan = planStory(project.story, project.dir);
    const keyframe = plan.graph.tasks.find((t) => t.key === 'shot-004/keyframe')!;
    expect(keyframe.templateId).toBe('qwen-image-edit');
    expect(keyframe.inputs[0]).toMatchObject({ role: 'reference', param: 'image', from: { file: join(project.dir, 'tom.png') } });
    expect(plan.graph.tasks.find((t) => t.key === 'shot-001/keyframe')!.templateId).toBe('sdxl-turbo-t2i');
    // The reference's content is part of the keyframe's identity.
    const state = await ProjectState.open(defaultConfig(), project.dir);
    try {
      const before = (await storedTasks(state.store, plan)).get('shot-004/keyframe')!.hash;
      await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 20, g: 20, b: 200 } } }).png().toFile(join(project.dir, 'tom.png'));
      const after = (await storedTasks(state.store, plan)).get('shot-004/keyframe')!.hash;
      expect(before).toMatch(/^[0-9a-f]{64}$/);
      expect(after).not.toBe(before);
    } finally {
      await state.close();
    }
  });

  it('refuses a hunyuan clip template in a commercial project', () => {
    const project = demoProject((yaml) => yaml.replace('commercial: false', 'commercial: true').replace(/\nrender:[\s\S]*$/, '\nrender:\n  keyframe: { template: sdxl-t2i }\n  clip: { template: hunyuan15-i2v }\n'));
    expect(() => planStory(project.story, project.dir)).toThrow(/Hunyuan Community/);
    try {
      planStory(project.story, project.dir);
    } catch (error) {
      expect(error).toBeInstanceOf(LicencePolicyError);
      expect((error as LicencePolicyError).violations.every((v) => v.usedBy.every((u) => u.endsWith(' clip')))).toBe(true);
    }
  });

  it('matches --force names with or without zero padding', () => {
    expect([...matchShots(['shot-3', '12', 'shot-001'], ['shot-001', 'shot-003', 'shot-012'])]).toEqual(['shot-003', 'shot-012', 'shot-001']);
    expect(() => matchShots(['shot-4'], ['shot-001'])).toThrow(/no shot 'shot-4'/);
  });
});
