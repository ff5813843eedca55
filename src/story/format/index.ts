export * from './vocabulary.js';
export {
  storySchema,
  storyShapeSchema,
  shotSchema,
  sceneSchema,
  characterSchema,
  locationSchema,
  cameraSchema,
  transitionSchema,
  renderSchema,
  STORY_FORMAT_VERSION,
  type Story,
  type StoryInput,
  type Character,
  type Location,
  type Scene,
  type Shot,
  type Camera,
  type Transition,
  type StageSettings,
  type RenderSettings,
} from './schema.js';
export { STYLE_PRESETS, type StylePreset } from './style-presets.js';
export { QUALITY_PRESETS, frameSize, type QualityPreset } from './quality-presets.js';
export { resolveRenderSettings, storyFrameSize, type ResolvedStage } from './render-settings.js';
export { checkStoryReferences, type ReferenceIssue } from './cross-references.js';
export { loadStory, parseStory, validateStory, type StoryValidation } from './load.js';
export { saveStory, storyToYaml, STORY_SCHEMA_PATH, type SaveStoryOptions } from './save.js';
export { savePlannedStory, type ReplaceStoryOptions } from './planned-story.js';
export { markUnedited, isUnedited } from './unedited-marker.js';
export { StoryEditedError } from './errors/story-edited-error.js';
export { storyJsonSchema, storyJsonSchemaText, writeStorySchema } from './json-schema.js';
export { formatFieldPath, type FieldPath } from './field-path.js';
export { closestMatch } from '../../platform/did-you-mean.js';
export { StoryFormatError, isStoryFormatError, formatStoryIssue, type StoryIssue, type StoryFormatErrorCode } from './errors/story-format-error.js';
