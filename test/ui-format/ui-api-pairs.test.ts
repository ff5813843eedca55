import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultObjectInfo } from '../../src/comfy/object-info/load.js';
import { extendedObjectInfo } from '../../src/comfy/object-info/extra-nodes.js';
import { convertUiToApi } from '../../src/comfy/ui-format/convert.js';
import { comparePrompts, renameNodes } from './compare-prompts.js';

/**
 * Every UI/API pair recorded from ComfyUI_examples: converting the editor's workflow with the
 * recorded 0.3.64 object_info must give the prompt ComfyUI stored beside it. The exceptions are
 * listed below, each with its reason; nothing is skipped silently.
 */
const PAIRS_DIR = join(import.meta.dirname, '../fixtures/ui-api-pairs');

interface PairIndexEntry {
  name: string;
  check: { rename: { map: Record<string, string> } | null };
}
const index = JSON.parse(readFileSync(join(PAIRS_DIR, 'index.json'), 'utf8')) as { pairs: PairIndexEntry[] };
const names = readdirSync(PAIRS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/**
 * Inputs the node gained after the workflow was saved: the editor that saved it stored no value,
 * ComfyUI of that time sent none, and a conversion against 0.3.64 sends the definition default,
 * as today's editor does when it loads the file. The converter reports each in `filledDefaults`.
 */
const INPUTS_ADDED_SINCE: Record<string, string[]> = {
  edit_models__sdxl_edit_model: ['37:7.style'],
  flux__flux_depth_lora_example: ['34.device'],
  flux__flux_dev_example: ['11.device'],
  flux__flux_fill_inpaint_example: ['34.device', '39.strength'],
  flux__flux_redux_model_example: ['11.device', '39.crop', '41.strength', '41.strength_type'],
  flux__flux_schnell_example: ['11.device'],
  flux__girl_in_field: ['11.device'],
  inpaint__inpain_model_cat: ['26.grow_mask_by'],
  inpaint__inpain_model_woman: ['26.grow_mask_by'],
  inpaint__inpaint_anythingv3_woman: ['26.grow_mask_by'],
  ltxv__ltxv_text_to_video: ['38.device'],
  mochi__mochi_text_to_video_example: ['38.device'],
  sd3__sd3_text_encoders_example: ['41.device', '42.device'],
  sdxl__sdxl_revision_text_prompts: ['13.crop', '36.crop'],
  sdxl__sdxl_revision_zero_positive: ['13.crop', '36.crop'],
  stable_cascade__stable_cascade__image_remixing: ['50.crop'],
  unclip__unclip_2pass: ['13.crop', '36.crop'],
  unclip__unclip_example_multiple: ['13.crop', '36.crop'],
};

/** Keys of the recorded prompt a conversion cannot produce (fixture README, "known oddities"). */
const RECORDED_ONLY_INPUTS: Record<string, Record<string, string[]>> = {
  // The SaveWEBM preview widget of that editor was sent but never saved in the workflow.
  wan22__image_to_video_wan22_5B: { '47': ['video-preview'] },
};

/**
 * Pairs saved by an editor newer than 0.3.64, using classes the snapshot lacks: they convert
 * against extendedObjectInfo() (snapshot + assets/comfyui/nodes/*.json), under the same rules.
 */
const NEEDS_NEWER_NODES: Record<string, string[]> = {
  flux2__flux2_example: ['EmptyFlux2LatentImage', 'Flux2Scheduler'],
};

function readPair(name: string): { workflow: unknown; prompt: Record<string, { class_type: string; inputs: Record<string, unknown> }> } {
  return {
    workflow: JSON.parse(readFileSync(join(PAIRS_DIR, name, 'workflow.json'), 'utf8')),
    prompt: JSON.parse(readFileSync(join(PAIRS_DIR, name, 'prompt.json'), 'utf8')),
  };
}

function checkPair(name: string, objectInfo: ReturnType<typeof defaultObjectInfo>): void {
  const { workflow, prompt } = readPair(name);
  const result = convertUiToApi(workflow, objectInfo);
  // The prompt was recorded before the nodes were grouped: compare structure through the index's id map.
  const rename = index.pairs.find((p) => p.name === name)?.check.rename?.map;
  const got = rename ? renameNodes(result.prompt, rename) : result.prompt;
  const diffs = comparePrompts(got, prompt, { ignoreRecordedInputs: RECORDED_ONLY_INPUTS[name] ?? {} });
  const extra = diffs.filter((d) => d.what === 'extra-input').map((d) => `${d.node}.${d.input}`);
  const others = diffs.filter((d) => d.what !== 'extra-input');
  expect(others).toEqual([]);
  expect(extra.sort()).toEqual([...(INPUTS_ADDED_SINCE[name] ?? [])].sort());
  const reported = new Set(result.filledDefaults.map((f) => `${f.node}.${f.input}`));
  for (const key of extra) expect(reported.has(key), `${key} should be reported in filledDefaults`).toBe(true);
}

describe('UI → API conversion matches ComfyUI on every recorded pair', () => {
  it('has all 72 pairs and their index', () => {
    expect(names).toHaveLength(72);
    expect(index.pairs.map((p) => p.name).sort()).toEqual(names);
  });

  for (const name of names) {
    it(name, () => checkPair(name, NEEDS_NEWER_NODES[name] ? extendedObjectInfo() : defaultObjectInfo()));
  }

  it('the pairs converted against extendedObjectInfo() do need classes 0.3.64 lacks', () => {
    const base = defaultObjectInfo();
    const extended = extendedObjectInfo();
    for (const [name, classes] of Object.entries(NEEDS_NEWER_NODES)) {
      expect(names, name).toContain(name);
      for (const cls of classes) {
        expect(base[cls], `${name}: ${cls}`).toBeUndefined();
        expect(extended[cls], `${name}: ${cls}`).toBeDefined();
      }
    }
  });
});
