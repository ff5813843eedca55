import { extendedObjectInfo, nodePackOf } from '../../comfy/object-info/extra-nodes.js';
import { modelInputFolder } from '../../comfy/object-info/model-lists.js';
import { comboValues } from './inventory.js';

/**
 * When a worker rejects a combo value that a newer definition of the same class offers (the
 * `newbie` type of DualCLIPLoader, added after 0.3.64), the fix is to update ComfyUI or the
 * pack, not to pick another value. Model file inputs are left to the model check.
 */
export function newerOptionFix(classType: string, input: string, value: unknown): string | undefined {
  if (modelInputFolder(classType, input) !== undefined) return undefined;
  const def = extendedObjectInfo()[classType];
  const spec = def?.input.required?.[input] ?? def?.input.optional?.[input];
  if (!comboValues(spec)?.includes(value)) return undefined;
  const pack = nodePackOf(classType);
  if (!pack) return undefined;
  const what = `${JSON.stringify(value)} for ${input} of ${classType} is newer than the worker's`;
  return pack.pack === 'core' ? `update ComfyUI: ${what} ComfyUI (${pack.repository})` : `update ${pack.pack}: ${what} version of it (${pack.repository})`;
}
