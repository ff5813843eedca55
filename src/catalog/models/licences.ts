import type { Licence } from './model.js';

export const APACHE_2: Licence = { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0', commercialUse: true };
export const MIT: Licence = { name: 'MIT', url: 'https://opensource.org/license/mit', commercialUse: true };
export const OPENRAIL_M: Licence = {
  name: 'CreativeML OpenRAIL-M', url: 'https://huggingface.co/spaces/CompVis/stable-diffusion-license', commercialUse: true,
  notes: 'Commercial use allowed; use-based restrictions (Attachment A) must be passed on to users.',
};
export const OPENRAIL_PP: Licence = {
  name: 'CreativeML OpenRAIL++-M', url: 'https://huggingface.co/stabilityai/stable-diffusion-xl-base-1.0/blob/main/LICENSE.md', commercialUse: true,
  notes: 'Commercial use allowed with the use-based restrictions of the licence.',
};
export const HUNYUAN_COMMUNITY: Licence = {
  name: 'Tencent Hunyuan Community License', url: 'https://huggingface.co/tencent/HunyuanVideo/blob/main/LICENSE', commercialUse: false,
  notes: 'Not valid in the EU, UK and South Korea; products above 100M monthly active users need a separate licence from Tencent; acceptable-use policy applies. Marked non-commercial so a product does not assume it is free to ship; check the exact terms (HunyuanVideo 1.5 ships its own copy of the licence).',
};
export const STABILITY_NC: Licence = {
  name: 'Stability AI Non-Commercial Research Community License', url: 'https://huggingface.co/stabilityai/sdxl-turbo/blob/main/LICENSE.md', commercialUse: false,
  notes: 'Research and non-commercial use. Stability later offered commercial use under its Community License (annual revenue under USD 1M) or an enterprise licence; verify before commercial use.',
};
export const CC_BY_NC_SA_4: Licence = {
  name: 'CC BY-NC-SA 4.0', url: 'https://creativecommons.org/licenses/by-nc-sa/4.0/', commercialUse: false,
};
export const BSD_3: Licence = { name: 'BSD-3-Clause', url: 'https://opensource.org/license/bsd-3-clause', commercialUse: true };
