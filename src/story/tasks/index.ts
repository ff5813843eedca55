export { TASK_STAGES, STAGE_ROLE, type TaskStage, type TaskInput, type TaskInputSource, type StoryTask, type StoryTaskGraph } from './story-task.js';
export { expandStory, lengthFor, REFERENCE_KEYFRAME_TEMPLATE, type ExpandOptions } from './expand-story.js';
export { bindTask, placeholderGraph, uploadName, type BoundTask, type InputAsset } from './bind-task.js';
export { shotSeed } from './shot-seed.js';
export { matchShots } from './match-shots.js';
export { UnknownShotError } from './errors/unknown-shot-error.js';
export { ReferenceImageError } from './errors/reference-image-error.js';
