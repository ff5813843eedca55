import { protocolOfVersion } from '../../comfy/comfyui-version.js';
import type { ApiGraph } from '../../comfy/graph.js';
import { requirementsOf } from '../templates/requirements.js';
import { checkModels } from './model-check.js';
import { checkNodes } from './node-check.js';
import { checkOutputKind } from './output-check.js';
import type { PreflightOptions, PreflightReport } from './types.js';
import type { WorkerInventory } from './types.js';
import { checkValidation, validationObjectInfo } from './validation-check.js';
import { checkVram } from './vram-check.js';

/**
 * Checks a built graph against one worker before any GPU time is spent: (a) node classes the
 * worker lacks, with the pack to install; (b) model files not in their folder, with size, URL,
 * a present precision variant or the folder they were put in by mistake; (c) everything else
 * ComfyUI's own validation would reject; (d) the output kind; (e) the VRAM estimate.
 *
 * @example
 * const report = preflight(template.build(params), await inventoryFromWorker(client), { template, params });
 * if (!report.ok) console.log(renderPreflightReport(report).join('\n'));
 */
export function preflight(graph: ApiGraph, inventory: WorkerInventory, options: PreflightOptions = {}): PreflightReport {
  const params = options.params ?? {};
  const nodes = checkNodes(graph, inventory);
  const objectInfo = validationObjectInfo(inventory, nodes.missing);
  const models = checkModels(graph, inventory, objectInfo, options);
  const validation = checkValidation(graph, objectInfo, {
    reportedInputs: models.reported,
    missingClasses: nodes.missing,
    ...(inventory.comfyuiVersion ? { protocol: protocolOfVersion(inventory.comfyuiVersion) } : {}),
  });
  const expected = options.expectedOutput ?? (options.template ? options.template.output(params).kind : undefined);
  const outputs = expected ? checkOutputKind(graph, objectInfo, expected) : [];
  // "Prompt has no outputs" says the same as an output-kind problem about a graph without one.
  const filtered = outputs.length > 0 ? validation.filter((p) => !p.message.startsWith('Prompt has no outputs')) : validation;
  const vram = checkVram(graph, inventory, options.template, params);

  const problems = [...nodes.problems, ...models.problems, ...filtered, ...outputs, ...vram];
  const totalBytes = models.missing.reduce((sum, m) => sum + (m.sizeBytes ?? 0), 0);
  return {
    worker: {
      name: inventory.name,
      url: inventory.url,
      ...(inventory.gpuName !== undefined ? { gpuName: inventory.gpuName } : {}),
      ...(inventory.vramBytes !== undefined ? { vramBytes: inventory.vramBytes } : {}),
    },
    ...(options.template ? { template: options.template.id } : {}),
    ok: problems.length === 0,
    problems,
    toInstall: { nodePacks: nodes.packs, models: models.missing, totalBytes },
    inputs: requirementsOf(graph).inputs,
  };
}
