import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGraphInput, inventoryFromObjectInfo, preflight, renderPreflightReport } from '../../src/catalog/preflight/index.js';
import { checkGraph } from '../../src/cli/graph-file.js';
import { extendedObjectInfo } from '../../src/comfy/object-info/extra-nodes.js';
import { convertUiToApi } from '../../src/comfy/ui-format/index.js';
import { validatePrompt } from '../../src/comfy/validation/index.js';
import { checkDepth } from '../../src/platform/input-limits.js';
import { FUZZ_RUNS, FUZZ_SEED, FUZZ_TIMEOUT_MS, FuzzTally } from './support/fuzz-kit.js';
import { nastyValue } from './support/mutations.js';

const objectInfo = extendedObjectInfo();
const inventory = inventoryFromObjectInfo(objectInfo, { name: 'fuzz' });
const CLASSES = ['CheckpointLoaderSimple', 'CLIPTextEncode', 'KSampler', 'EmptyLatentImage', 'VAEDecode', 'SaveImage', 'LoadImage', 'EmptyImage', 'ImageInvert', 'LoraLoader', 'PreviewImage', 'Reroute', 'PrimitiveNode', 'Note', 'NoSuchNode', ''];
const INPUTS = ['model', 'clip', 'vae', 'samples', 'image', 'images', 'text', 'seed', 'steps', 'cfg', 'width', 'height', 'ckpt_name', 'filename_prefix', 'lora_name', 'latent_image', 'positive', 'negative', 'x'];
const IDS = ['1', '2', '3', '4', '5', '6', 'x', ''];

const link = fc.tuple(fc.constantFrom(...IDS), fc.integer({ min: -1, max: 3 }));
const apiNode = fc.record(
  {
    class_type: fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...CLASSES) }, { weight: 1, arbitrary: nastyValue }),
    inputs: fc.oneof({ weight: 20, arbitrary: fc.dictionary(fc.constantFrom(...INPUTS), fc.oneof(link, nastyValue, fc.integer(), fc.constantFrom('sd15.safetensors', 'euler', 'normal'))) }, { weight: 1, arbitrary: nastyValue }),
    _meta: fc.record({ title: fc.string() }),
  },
  { requiredKeys: [] },
);
const apiGraph = fc.oneof(
  { weight: 12, arbitrary: fc.dictionary(fc.constantFrom(...IDS), apiNode, { minKeys: 0, maxKeys: 6 }) },
  { weight: 1, arbitrary: fc.record({ prompt: fc.dictionary(fc.constantFrom(...IDS), apiNode, { maxKeys: 4 }), client_id: fc.string() }) },
  { weight: 1, arbitrary: nastyValue },
);

const slot = fc.record({ name: fc.constantFrom(...INPUTS), type: fc.constantFrom('MODEL', 'CLIP', 'IMAGE', 'LATENT', '*', 'INT', 'STRING', ''), link: fc.option(fc.integer({ min: 0, max: 8 })), widget: fc.record({ name: fc.constantFrom(...INPUTS) }) }, { requiredKeys: ['name', 'type', 'link'] });
const outputSlot = fc.record({ name: fc.string({ maxLength: 6 }), type: fc.constantFrom('MODEL', 'CLIP', 'IMAGE', 'LATENT', '*', 'INT'), links: fc.option(fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 3 })) }, { requiredKeys: ['name', 'type', 'links'] });
const uiNode = fc.record(
  {
    id: fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 0, max: 6 }) }, { weight: 1, arbitrary: nastyValue }),
    type: fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...CLASSES) }, { weight: 1, arbitrary: nastyValue }),
    mode: fc.constantFrom(0, 0, 0, 2, 4),
    inputs: fc.oneof({ weight: 20, arbitrary: fc.array(slot, { maxLength: 4 }) }, { weight: 1, arbitrary: nastyValue }),
    outputs: fc.oneof({ weight: 20, arbitrary: fc.array(outputSlot, { maxLength: 3 }) }, { weight: 1, arbitrary: nastyValue }),
    widgets_values: fc.oneof({ weight: 10, arbitrary: fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 12 }), fc.boolean(), fc.constant(null)), { maxLength: 8 }) }, { weight: 1, arbitrary: nastyValue }),
    title: fc.string({ maxLength: 10 }),
  },
  { requiredKeys: ['id', 'type'] },
);
const uiLink = fc.oneof(
  { weight: 20, arbitrary: fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: -1, max: 3 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: -1, max: 3 }), fc.constantFrom('MODEL', 'IMAGE', '*')) },
  { weight: 1, arbitrary: nastyValue },
);
const uiWorkflow = fc.record(
  {
    last_node_id: fc.integer({ min: 0, max: 10 }),
    nodes: fc.oneof({ weight: 20, arbitrary: fc.array(uiNode, { maxLength: 7 }) }, { weight: 1, arbitrary: nastyValue }),
    links: fc.oneof({ weight: 20, arbitrary: fc.array(uiLink, { maxLength: 8 }) }, { weight: 1, arbitrary: nastyValue }),
    version: fc.constantFrom(0.4, 0.4, 1),
    definitions: fc.option(fc.record({ subgraphs: fc.array(fc.record({ id: fc.string({ maxLength: 4 }), nodes: fc.array(uiNode, { maxLength: 3 }), links: fc.array(uiLink, { maxLength: 3 }) }), { maxLength: 2 }) })),
  },
  { requiredKeys: ['nodes'] },
);

/**
 * What `run` (file check), `preflight` (input check, then the report) and the emulator
 * (validation of whatever was posted) each do with a workflow, minus the network. Each stage
 * sees the input on its own, so a refusal by the first does not hide a crash in the others.
 */
const API_STAGES: Array<(json: unknown) => void> = [
  (json) => checkGraph(json, 'g.json'),
  (json) => {
    const input = checkGraphInput(json, { objectInfo });
    if (input.ok) renderPreflightReport(preflight(input.graph, inventory));
  },
  (json) => void validatePrompt(structuredClone(json), objectInfo),
];

function runStages(stages: Array<(json: unknown) => void>, json: unknown, tally: FuzzTally, field: RegExp): void {
  checkDepth(json, 'g.json');
  let refused = false;
  for (const stage of stages) {
    try {
      stage(json);
    } catch (error) {
      tally.rejection(error, field);
      refused = true;
    }
  }
  if (refused) tally.rejected++;
  else tally.accept();
}

function convertWorkflow(json: unknown): void {
  const { prompt } = convertUiToApi(json, objectInfo);
  renderPreflightReport(preflight(prompt, inventory));
  validatePrompt(structuredClone(prompt), objectInfo);
}

describe('fuzz: workflow JSON', () => {
  it(
    `${FUZZ_RUNS} API-format graphs through run's file check, preflight and the emulator's validation`,
    () => {
      const tally = new FuzzTally('workflow JSON (API)');
      fc.assert(
        fc.property(apiGraph, (json) => runStages(API_STAGES, json, tally, /g\.json|node \S+|ComfyUI would fail/)),
        { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
      );
      expect(tally.report()).toContain('0 crashes');
      expect(tally.accepted).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `${FUZZ_RUNS} editor (UI-format) workflows through conversion and preflight`,
    () => {
      const tally = new FuzzTally('workflow JSON (UI)');
      fc.assert(
        fc.property(uiWorkflow, (json) => {
          try {
            convertWorkflow(json);
            tally.accept();
          } catch (error) {
            // The JSON path (nodes.0.id), or the node and its type.
            tally.reject(error, /nodes|links|node \S+|\(root\)|definitions|subgraph|link/);
          }
        }),
        { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
      );
      expect(tally.report()).toContain('0 crashes');
      expect(tally.accepted).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT_MS,
  );
});
