import { editDistance } from '../../platform/did-you-mean.js';
import { UnknownTemplateError } from './errors/unknown-template-error.js';
import { hunyuan15I2v } from './hunyuan15-i2v.js';
import { hunyuan15Sr } from './hunyuan15-sr.js';
import { hunyuan15T2v } from './hunyuan15-t2v.js';
import { newbieAnime } from './newbie-anime.js';
import { qwenImageEdit2509 } from './qwen-image-edit-2509.js';
import { qwenImageEdit } from './qwen-image-edit.js';
import { qwenImageLayered } from './qwen-image-layered.js';
import { qwenImageT2i } from './qwen-image-t2i.js';
import { qwenRelight } from './qwen-relight.js';
import { rifeInterpolate } from './rife-interpolate.js';
import { sd15Img2img } from './sd15-img2img.js';
import { sd15T2i } from './sd15-t2i.js';
import { sdxlImg2img } from './sdxl-img2img.js';
import { sdxlT2i } from './sdxl-t2i.js';
import { sdxlTurboT2i } from './sdxl-turbo-t2i.js';
import { svdI2v } from './svd-i2v.js';
import type { AnyTemplate, Capability } from './template.js';
import { upscale } from './upscale.js';
import { wanAlpha } from './wan-alpha.js';
import { wanVaceInpaint } from './wan-vace-inpaint.js';
import { wan22Flf2v } from './wan22-flf2v.js';
import { wan22I2v14b } from './wan22-i2v-14b.js';
import { wan22T2v14b } from './wan22-t2v-14b.js';
import { wan22Ti2v5b } from './wan22-ti2v-5b.js';

const TEMPLATES: readonly AnyTemplate[] = [
  wan22I2v14b,
  wan22T2v14b,
  wan22Ti2v5b,
  wanVaceInpaint,
  wan22Flf2v,
  wanAlpha,
  hunyuan15T2v,
  hunyuan15I2v,
  hunyuan15Sr,
  qwenImageT2i,
  qwenImageEdit,
  qwenImageEdit2509,
  qwenRelight,
  qwenImageLayered,
  newbieAnime,
  sd15T2i,
  sd15Img2img,
  sdxlT2i,
  sdxlImg2img,
  sdxlTurboT2i,
  svdI2v,
  rifeInterpolate,
  upscale,
];

const BY_ID = new Map(TEMPLATES.map((t) => [t.id, t]));

/** Every workflow template the product offers, in catalogue order. */
export function allTemplates(): readonly AnyTemplate[] {
  return TEMPLATES;
}

/** The templates that have a capability, best quality first. */
export function templatesWith(capability: Capability): AnyTemplate[] {
  return TEMPLATES.filter((t) => t.capabilities.includes(capability)).sort((a, b) => b.scores.quality - a.scores.quality);
}

/** The template with this id; throws `UnknownTemplateError` listing the closest ids. */
export function templateById(id: string): AnyTemplate {
  const found = BY_ID.get(id);
  if (found) return found;
  throw new UnknownTemplateError(id, closestIds(id));
}

/** Up to three ids within a small edit distance, or sharing a prefix/substring with `id`. */
export function closestIds(id: string, ids: readonly string[] = [...BY_ID.keys()]): string[] {
  const wanted = id.toLowerCase();
  return ids
    .map((candidate) => ({ candidate, distance: editDistance(wanted, candidate) }))
    .filter(({ candidate, distance }) => distance <= Math.max(3, Math.floor(candidate.length / 3)) || candidate.includes(wanted) || wanted.includes(candidate))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}
