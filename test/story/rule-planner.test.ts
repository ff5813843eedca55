import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadStory, storyToYaml } from '../../src/story/format/index.js';
import { createPlanner, planStoryByRules, RulePlanner } from '../../src/story/planners/index.js';
import { shotPrompt } from '../../src/story/prompt/shot-prompt.js';
import { EXAMPLE_MARKDOWN, EXAMPLE_OPTIONS, EXAMPLE_YAML } from './support/example-story.js';

const markdown = readFileSync(EXAMPLE_MARKDOWN, 'utf8');
const allShots = (story: ReturnType<typeof planStoryByRules>) => story.scenes.flatMap((s) => s.shots);

describe('rule planner on the-lighthouse.md', () => {
  const story = planStoryByRules(markdown, EXAMPLE_OPTIONS);
  const shots = allShots(story);

  it('finds three scenes from the headings and eight shots (the long paragraph split in two)', () => {
    expect(story.title).toBe('The Lighthouse');
    expect(story.scenes.map((s) => s.title)).toEqual(['The storm', 'The boat', 'The light']);
    expect(shots).toHaveLength(8);
    expect(shots.map((s) => s.id)).toEqual(['shot-001', 'shot-002', 'shot-003', 'shot-004', 'shot-005', 'shot-006', 'shot-007', 'shot-008']);
    expect(shots[6]!.action).toMatch(/^Seen from above/);
    expect(shots[7]!.action).toMatch(/^Waves break/);
  });

  it('reads camera language from the words', () => {
    expect(shots[0]!.camera.size).toBe('wide'); // "vast", "landscape"
    expect(shots[2]!.camera.size).toBe('close-up'); // "face", "eyes"
    expect(shots[1]!.camera.movement).toBe('tracking'); // "climbs"
    expect(shots[4]!.camera.angle).toBe('low'); // "looks up"
    expect(shots[6]!.camera.angle).toBe('overhead'); // "from above"
  });

  it('finds recurring names as characters and attributes quoted lines to the nearest one', () => {
    expect(story.characters.map((c) => [c.id, c.name])).toEqual([
      ['mara', 'Mara'],
      ['tom', 'Tom'],
    ]);
    expect(story.characters[0]!.description).toBe('an old lighthouse keeper with a silver braid and a yellow oilskin coat');
    expect(shots[2]!.dialogue).toEqual([{ speaker: 'mara', text: 'Not tonight' }]);
    // Mara is named inside Tom's line: she is addressed, not in the shot.
    expect(shots[4]!.dialogue).toEqual([{ speaker: 'tom', text: 'Mara! Light the lamp!' }]);
    expect(shots[4]!.characters).toEqual(['tom']);
  });

  it('takes locations from sluglines and "in the X" / "at the X"', () => {
    expect(story.scenes.map((s) => s.location)).toEqual(['lighthouse-cliff', 'open-sea', 'lantern-room']);
    expect(story.locations.find((l) => l.id === 'lantern-room')).toEqual({ id: 'lantern-room', name: 'Lantern room', description: 'interior, night' });
    expect(shots[1]!.location).toBe('tower');
    expect(shots[7]!.location).toBe('harbour-mouth');
  });

  it('times shots by text length (2–10 s) and honours explicit cues', () => {
    for (const shot of shots) {
      expect(shot.duration).toBeGreaterThanOrEqual(2);
      expect(shot.duration).toBeLessThanOrEqual(10);
    }
    expect(shots[3]!.duration).toBe(5); // "for 5 seconds"
    expect(shots[3]!.action).not.toContain('5 seconds');
  });

  it('gives every shot a prompt from the shared shot-prompt module, and ends on a fade', () => {
    for (const [index, shot] of shots.entries()) {
      const scene = story.scenes.find((s) => s.shots.includes(shot))!;
      expect(shot.prompt, shot.id).toBe(
        shotPrompt(shot, { style: story.style, characters: story.characters, locations: story.locations, ...(scene.location ? { sceneLocation: scene.location } : {}) }),
      );
      expect(shot.prompt).toContain('cinematic film still');
      if (index === 2) expect(shot.prompt).toContain('close-up shot');
    }
    expect(shots[2]!.prompt).not.toContain('Not tonight');
    expect(shots[7]!.transition).toBe('fade-to-black');
    expect(shots[2]!.transition).toEqual({ crossfade: { seconds: 0.5 } });
  });

  it('is deterministic, and the committed example is what it plans', async () => {
    expect(storyToYaml(planStoryByRules(markdown, EXAMPLE_OPTIONS))).toBe(storyToYaml(story));
    expect(await new RulePlanner().plan(markdown, EXAMPLE_OPTIONS)).toEqual(story);
    expect(loadStory(EXAMPLE_YAML)).toEqual(story);
  });
});

describe('rule planner on other layouts', () => {
  it('uses sluglines and scene breaks when there are no headings', () => {
    const story = planStoryByRules(
      'INT. KITCHEN - DAY\n\nAnna pours coffee. Ben watches Anna from the door.\n\nBen smiles at Anna.\n\n***\n\nThe city skyline glows at dusk while Ben walks home.\n',
      { title: 'Coffee' },
    );
    expect(story.title).toBe('Coffee');
    expect(story.scenes).toHaveLength(2);
    expect(story.scenes[0]!.location).toBe('kitchen');
    expect(story.characters.map((c) => c.id)).toEqual(['anna', 'ben']);
    const last = story.scenes[1]!.shots[0]!;
    expect(last.camera).toMatchObject({ size: 'wide', movement: 'tracking' });
    expect(last.characters).toEqual(['ben']);
  });

  it('splits on double blank lines when nothing else marks scenes, and never invents characters from sentence starts', () => {
    const story = planStoryByRules('Rain falls.\n\nRain keeps falling on the roof.\n\n\nMorning comes for 3 seconds.\n');
    expect(story.scenes).toHaveLength(2);
    expect(story.characters).toEqual([]);
    expect(story.scenes[1]!.shots[0]!.duration).toBe(3);
    expect(story.title).toBe('Untitled story');
  });

  it('createPlanner gives the rule planner by default and refuses an llm planner without endpoint', () => {
    expect(createPlanner().kind).toBe('rules');
    expect(() => createPlanner({ kind: 'llm', llm: { url: 'http://127.0.0.1:1/v1' } })).toThrowError(/planner.llm.model/);
  });
});
