import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseStory } from '../../src/story/format/index.js';
import { FUZZ_RUNS, FUZZ_SEED, FUZZ_TIMEOUT_MS, FuzzTally } from './support/fuzz-kit.js';
import { mutatedDocument, mutatedText } from './support/mutations.js';

/** A small story using every section, so a case parses in well under a millisecond. */
const EXAMPLE_TEXT = `version: 1
title: The Lighthouse
style: cinematic
aspect: "16:9"
fps: 12
quality: draft
seed: 7
characters:
  - id: mara
    name: Mara
    description: an old keeper
    references: [mara.png]
    lora: { file: mara.safetensors, trigger: mara, strength: 0.8 }
locations:
  - id: cliff
    name: Cliff
scenes:
  - id: scene-01
    location: cliff
    shots:
      - id: shot-001
        action: Mara climbs the stairs.
        camera: { size: wide, angle: low, movement: dolly-in }
        duration: 4
        characters: [mara]
        dialogue: [{ speaker: mara, text: Again. }]
        transition: { crossfade: { seconds: 0.5 } }
render:
  keyframe: { template: sd15-t2i, params: { steps: 10 } }
`;
const EXAMPLE = parseStory(EXAMPLE_TEXT) as unknown;

/** Story text: the example mutated as data (then dumped as YAML or JSON), or as text. */
const storyText = fc.oneof(
  { weight: 4, arbitrary: mutatedDocument(EXAMPLE).chain((doc) => fc.constantFrom(stringify(doc), JSON.stringify(doc))) },
  { weight: 3, arbitrary: mutatedText(EXAMPLE_TEXT) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }) },
);

describe('fuzz: story YAML', () => {
  it(
    `${FUZZ_RUNS} stories: each is accepted or rejected in one line naming a field`,
    () => {
      const tally = new FuzzTally('story YAML');
      fc.assert(
        fc.property(storyText, (text) => {
          try {
            parseStory(text, 'story.yaml');
            tally.accept();
          } catch (error) {
            // Every issue is located: the file (with line/column) and, for shape problems, the field path.
            tally.reject(error, /story\.yaml/);
          }
        }),
        { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
      );
      expect(tally.report()).toContain('0 crashes');
      expect(tally.rejected).toBeGreaterThan(0);
      expect(tally.accepted).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT_MS,
  );
});
