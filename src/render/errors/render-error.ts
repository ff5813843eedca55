import { StoryCoreError } from '../../errors/storycore-error.js';

export type RenderErrorCode =
  | 'RENDER_PLAN_INVALID'
  | 'RENDER_INPUT_MISSING'
  | 'RENDER_SHOT_FAILED'
  | 'RENDER_JOIN_FAILED'
  | 'RENDER_AUDIO_FAILED'
  | 'RENDER_IMAGE_FAILED';

/**
 * Rendering the cut, a contact sheet or a preview failed. `shotId` names the shot whose input
 * or ffmpeg step failed (undefined for whole-film steps), so the caller can re-render just it.
 */
export class RenderError extends StoryCoreError {
  readonly shotId: string | undefined;

  constructor(code: RenderErrorCode, message: string, options: { shotId?: string; hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
    this.shotId = options.shotId;
  }

  override toJSON(): { name: string; code: string; message: string; hint?: string; shotId?: string } {
    return { ...super.toJSON(), ...(this.shotId ? { shotId: this.shotId } : {}) };
  }
}

export function isRenderError(value: unknown): value is RenderError {
  return value instanceof Error && value.name === 'RenderError' && typeof (value as { code?: unknown }).code === 'string';
}
