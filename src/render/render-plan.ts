import { z } from 'zod';
import { RenderError } from './errors/render-error.js';

/**
 * What the cut is made of. Deliberately smaller than the story format: the story layer maps
 * its shots onto this, so rendering does not move when the story schema does.
 */
export const transitionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('cut') }),
  z.strictObject({ type: z.literal('crossfade'), seconds: z.number().positive().max(10) }),
  z.strictObject({ type: z.literal('fade-to-black'), seconds: z.number().positive().max(10) }),
]);

export const renderShotSchema = z
  .strictObject({
    id: z.string().min(1),
    /** A video clip (mp4/webm/…); wins over `keyframe` when both are given. */
    clip: z.string().min(1).optional(),
    /** A still image held for the shot's duration when there is no clip (an animatic). */
    keyframe: z.string().min(1).optional(),
    durationSec: z.number().positive().max(600),
    /** The transition from this shot into the next one (the story format's meaning). */
    transition: transitionSchema.default({ type: 'cut' }),
    caption: z.string().optional(),
  })
  .refine((shot) => shot.clip !== undefined || shot.keyframe !== undefined, { message: 'a shot needs a clip or a keyframe' });

export const renderAudioSchema = z.strictObject({
  path: z.string().min(1),
  gainDb: z.number().min(-60).max(30).optional(),
  fadeOutSec: z.number().min(0).max(60).optional(),
});

export const renderPlanSchema = z.strictObject({
  fps: z.number().positive().max(240),
  width: z.number().int().min(32).max(8192).refine((n) => n % 2 === 0, 'H.264 yuv420p needs an even width'),
  height: z.number().int().min(32).max(8192).refine((n) => n % 2 === 0, 'H.264 yuv420p needs an even height'),
  shots: z.array(renderShotSchema).min(1),
  audio: renderAudioSchema.optional(),
  captions: z.boolean().default(false),
});

export type Transition = z.output<typeof transitionSchema>;
export type RenderShot = z.output<typeof renderShotSchema>;
export type RenderAudio = z.output<typeof renderAudioSchema>;
export type RenderPlan = z.output<typeof renderPlanSchema>;
/** What callers write: transition and captions may be left out. */
export type RenderPlanInput = z.input<typeof renderPlanSchema>;

export function parseRenderPlan(input: unknown): RenderPlan {
  const parsed = renderPlanSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? first.path.join('.') : 'plan';
    throw new RenderError('RENDER_PLAN_INVALID', `render plan is invalid at ${where}: ${first?.message ?? 'unknown problem'}`, {
      hint: 'fix the field named above; every shot needs an id, a positive durationSec and a clip or keyframe',
      cause: parsed.error,
    });
  }
  const ids = new Set<string>();
  for (const shot of parsed.data.shots) {
    if (ids.has(shot.id)) {
      throw new RenderError('RENDER_PLAN_INVALID', `render plan has two shots with id "${shot.id}"`, { shotId: shot.id, hint: 'give every shot a unique id' });
    }
    ids.add(shot.id);
  }
  return parsed.data;
}
