/**
 * The closed vocabularies of story.yaml. Each list is the single source for the zod schema,
 * the JSON Schema, the planners' cue tables and the "did you mean" hints.
 */
export const STYLE_IDS = ['cinematic', 'anime', 'watercolor', 'noir', 'storyboard', 'photoreal', 'comic', 'pixel-art'] as const;
export type StyleId = (typeof STYLE_IDS)[number];

export const ASPECTS = ['16:9', '9:16', '1:1', '4:3', '2.39:1'] as const;
export type Aspect = (typeof ASPECTS)[number];

export const QUALITY_IDS = ['draft', 'standard', 'final'] as const;
export type QualityId = (typeof QUALITY_IDS)[number];

export const SHOT_SIZES = ['extreme-wide', 'wide', 'medium', 'close-up', 'extreme-close-up'] as const;
export type ShotSize = (typeof SHOT_SIZES)[number];

export const CAMERA_ANGLES = ['eye-level', 'high', 'low', 'overhead', 'dutch'] as const;
export type CameraAngle = (typeof CAMERA_ANGLES)[number];

export const CAMERA_MOVEMENTS = ['static', 'pan-left', 'pan-right', 'tilt-up', 'tilt-down', 'dolly-in', 'dolly-out', 'tracking', 'handheld', 'orbit'] as const;
export type CameraMovement = (typeof CAMERA_MOVEMENTS)[number];

export const TRANSITION_KINDS = ['cut', 'crossfade', 'fade-to-black'] as const;
export type TransitionKind = (typeof TRANSITION_KINDS)[number];

/** Render stages, in pipeline order, and the template capability each one needs. */
export const RENDER_STAGES = ['keyframe', 'clip', 'interpolation', 'upscale'] as const;
export type RenderStage = (typeof RENDER_STAGES)[number];

export const STAGE_CAPABILITY = {
  keyframe: 'text_to_image',
  clip: 'image_to_video',
  interpolation: 'frame_interpolation',
  upscale: 'super_resolution',
} as const satisfies Record<RenderStage, string>;

/** Shot durations the format accepts, in seconds (planners clamp tighter, to 2–10). */
export const SHOT_DURATION = { min: 0.5, max: 60 } as const;
