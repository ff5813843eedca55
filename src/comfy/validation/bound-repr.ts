import { pyFloatRepr, pyIntRepr, pyNumberRepr, pyStr } from '../python-repr.js';

/**
 * How ComfyUI prints `min`/`max` in "Value 1.5 bigger than max of 1.0". JSON parsing forgets
 * whether Python wrote `0` or `0.0`; FLOAT inputs almost always use float literals, so these
 * are the FLOAT bounds that 0.3.64 (and the newer core schemas we ship) write as ints.
 */
const INT_LITERAL_FLOAT_BOUNDS = new Set([
  'ConditioningSetAreaPercentage.width.min',
  'ConditioningSetAreaPercentage.height.min',
  'ConditioningSetAreaPercentage.x.min',
  'ConditioningSetAreaPercentage.y.min',
  'ConditioningSetAreaPercentageVideo.width.min',
  'ConditioningSetAreaPercentageVideo.height.min',
  'ConditioningSetAreaPercentageVideo.temporal.min',
  'ConditioningSetAreaPercentageVideo.x.min',
  'ConditioningSetAreaPercentageVideo.y.min',
  'ConditioningSetAreaPercentageVideo.z.min',
  'LatentBlend.blend_factor.min',
  'LatentBlend.blend_factor.max',
  'SDTurboScheduler.denoise.min',
  'TrimAudioDuration.start_index.min',
  'TrimAudioDuration.start_index.max',
  'EmptyAudio.duration.max',
  'SaveWEBM.crf.min',
  'PrimitiveFloat.value.min',
  'PrimitiveFloat.value.max',
  'FreSca.scale_low.min',
  'FreSca.scale_low.max',
  'FreSca.scale_high.min',
  'FreSca.scale_high.max',
  'WanCameraEmbedding.speed.min',
  'WanCameraEmbedding.fx.min',
  'WanCameraEmbedding.fx.max',
  'WanCameraEmbedding.fy.min',
  'WanCameraEmbedding.fy.max',
  'WanCameraEmbedding.cx.min',
  'WanCameraEmbedding.cx.max',
  'WanCameraEmbedding.cy.min',
  'WanCameraEmbedding.cy.max',
]);

/** `str(extra_info[key])` for a node's min or max. */
export function boundRepr(classType: string, inputName: string, key: 'min' | 'max', bound: unknown, inputType: unknown): string {
  if (typeof bound !== 'number') return pyStr(bound);
  if (inputType === 'FLOAT' && !INT_LITERAL_FLOAT_BOUNDS.has(`${classType}.${inputName}.${key}`)) return pyFloatRepr(bound);
  return pyNumberRepr(bound);
}

/** `str(val)` of a value after coercion to the input's type. */
export function coercedValueRepr(value: unknown, inputType: unknown): string {
  if (typeof value === 'number') {
    if (inputType === 'FLOAT') return pyFloatRepr(value);
    if (inputType === 'INT') return pyIntRepr(value);
  }
  return pyStr(value);
}
