import type { ApiGraph } from '../../comfy/graph.js';
import { nodePackOf } from '../../comfy/object-info/extra-nodes.js';
import type { ObjectInfo } from '../../comfy/object-info/types.js';
import { convertUiToApi } from '../../comfy/ui-format/convert.js';
import { detectWorkflowFormat, type WorkflowFormat } from '../../comfy/ui-format/detect.js';
import { UnknownNodeClassError } from '../../comfy/ui-format/errors/unknown-node-class-error.js';
import { isStoryCoreError } from '../../errors/storycore-error.js';

export type GraphInput =
  | { ok: true; format: 'api' | 'ui'; graph: ApiGraph; notes: string[] }
  | { ok: false; format: WorkflowFormat; message: string; fix: string };

const EXPORT_API = "in the ComfyUI editor use Workflow → Export (API), or run `storycore convert <file> --object-info <worker object_info>`";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Accepts what a user hands in where an API prompt is expected. An API graph (or `/prompt`
 * body) passes; an editor (UI-format) workflow is converted when node definitions are given,
 * else explained ("this is a UI-format workflow saved from the editor …"); anything else is
 * explained with what was seen.
 *
 * @example
 * const input = checkGraphInput(JSON.parse(text), { objectInfo: inventory.objectInfo });
 * if (!input.ok) throw new Error(`${input.message} — ${input.fix}`);
 */
export function checkGraphInput(json: unknown, options: { objectInfo?: ObjectInfo; lenient?: boolean } = {}): GraphInput {
  const detected = detectWorkflowFormat(json);
  if (detected.format === 'api') {
    const body = json as Record<string, unknown>;
    const wrapped = isObject(body.prompt) && !('class_type' in body.prompt);
    return { ok: true, format: 'api', graph: (wrapped ? body.prompt : body) as ApiGraph, notes: wrapped ? ['unwrapped the `prompt` of a /prompt request body'] : [] };
  }
  if (detected.format === 'unknown') {
    return { ok: false, format: 'unknown', message: `not a ComfyUI workflow: ${detected.reasons.join('; ')}`, fix: 'pass an API-format graph (node id → {class_type, inputs}) or an editor workflow' };
  }

  const nodes = isObject(json) && Array.isArray(json.nodes) ? json.nodes.length : 0;
  const what = `this is a UI-format workflow saved from the ComfyUI editor (${detected.reasons.join(', ')}), not the API format the worker runs`;
  if (!options.objectInfo) return { ok: false, format: 'ui', message: what, fix: EXPORT_API };
  try {
    const { prompt, warnings } = convertUiToApi(json, options.objectInfo, { lenient: options.lenient ?? false });
    return { ok: true, format: 'ui', graph: prompt, notes: [`converted a UI-format workflow (${nodes} editor nodes) to an API prompt of ${Object.keys(prompt).length} nodes`, ...warnings] };
  } catch (err) {
    if (err instanceof UnknownNodeClassError) {
      const needs = err.nodes.map((n) => {
        const pack = nodePackOf(n.type);
        return pack && pack.pack !== 'core' ? `node ${n.id} (${n.type}) needs ${pack.pack} (${pack.repository})` : `node ${n.id} (${n.type}) is not defined`;
      });
      return {
        ok: false,
        format: 'ui',
        message: `${what}; it cannot be converted: ${needs.join('; ')}`,
        fix: 'install the missing node packs on the worker (or pass an object_info that has them), or export the workflow with Workflow → Export (API) in the editor',
      };
    }
    if (isStoryCoreError(err)) return { ok: false, format: 'ui', message: `${what}; converting it failed: ${err.message}`, fix: err.hint ?? EXPORT_API };
    throw err;
  }
}
