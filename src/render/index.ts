export { renderFinalCut, type FinalCutOptions, type FinalCutResult } from './final-cut.js';
export { renderContactSheet, contactSheetLayout, type ContactSheetShot, type ContactSheetOptions, type ContactSheetLayout } from './contact-sheet.js';
export { renderShotPreview, type ShotPreview, type ShotPreviewOptions } from './shot-preview.js';
export { parseRenderPlan, renderPlanSchema, type RenderPlan, type RenderPlanInput, type RenderShot, type RenderAudio, type Transition } from './render-plan.js';
export { buildTimeline, type Timeline, type TimelineShot, type ShotAdjustment } from './timeline.js';
export { detectFilterSupport, type FilterSupport } from './ffmpeg-filters.js';
export type { RenderProgress, RenderStage } from './render-progress.js';
export { RenderError, isRenderError, type RenderErrorCode } from './errors/render-error.js';
