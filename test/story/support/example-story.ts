import { fileURLToPath } from 'node:url';
import type { PlanOptions } from '../../../src/story/planners/index.js';

/** The demo story and the options its committed story.yaml was planned with. */
export const EXAMPLE_MARKDOWN = fileURLToPath(new URL('../../../examples/stories/the-lighthouse.md', import.meta.url));
export const EXAMPLE_YAML = fileURLToPath(new URL('../../../examples/stories/story.yaml', import.meta.url));

/** Fastest templates at small sizes, so an emulated render of the demo is quick. */
export const EXAMPLE_OPTIONS: PlanOptions = {
  style: 'cinematic',
  quality: 'draft',
  aspect: '16:9',
  fps: 12,
  render: {
    keyframe: { template: 'sdxl-turbo-t2i', params: { width: 512, height: 288 } },
    clip: { template: 'svd-i2v', params: { width: 512, height: 288, frames: 14, fps: 6, steps: 10 } },
  },
};
