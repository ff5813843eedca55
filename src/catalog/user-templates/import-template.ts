import { createHash } from 'node:crypto';
import type { ApiGraph } from '../../comfy/graph.js';
import { isLink } from '../../comfy/graph.js';
import { modelInputsOf } from '../../comfy/object-info/model-lists.js';
import type { InputSpec, ObjectInfo } from '../../comfy/object-info/types.js';
import { convertUiToApi } from '../../comfy/ui-format/convert.js';
import { detectWorkflowFormat } from '../../comfy/ui-format/detect.js';
import { InvalidWorkflowError } from '../../comfy/ui-format/errors/invalid-workflow-error.js';
import { comboOptions, inputKind, inputOptions, orderedNodeInputs, widgetDefault } from '../../comfy/ui-format/widgets.js';
import { InvalidParamPathError } from './errors/invalid-param-path-error.js';
import { InvalidUserTemplateError } from './errors/invalid-user-template-error.js';
import { paramTypeSchema, TEMPLATE_NAME, type ParamType, type UserTemplate, type UserTemplateParam } from './types.js';

export interface ImportUserTemplateOptions {
  name: string;
  /** Parameter name → `<node id>.inputs.<input name>`, e.g. `{prompt: '6.inputs.text'}`. */
  params: Record<string, string>;
  /** Node definitions of the worker the template is meant for (to convert and to type params). */
  objectInfo: ObjectInfo;
  /** Convert an editor workflow's link from a missing node to an unconnected input instead of failing. */
  lenient?: boolean;
}

const PATH = /^([^.]+)\.inputs\.(.+)$/;

function listed(items: string[], max = 12): string {
  return items.length > max ? `${items.slice(0, max).join(', ')}, … (${items.length} in all)` : items.join(', ');
}

function toApiGraph(json: unknown, objectInfo: ObjectInfo, lenient: boolean): { graph: ApiGraph; format: 'api' | 'ui'; warnings: string[] } {
  const detected = detectWorkflowFormat(json);
  if (detected.format === 'ui') {
    const { prompt, warnings } = convertUiToApi(json, objectInfo, { lenient });
    return { graph: prompt, format: 'ui', warnings };
  }
  if (detected.format === 'api') {
    const body = json as Record<string, unknown>;
    const wrapped = typeof body.prompt === 'object' && body.prompt !== null && !('class_type' in body.prompt);
    return { graph: structuredClone((wrapped ? body.prompt : body) as ApiGraph), format: 'api', warnings: [] };
  }
  throw new InvalidWorkflowError(`not a workflow: ${detected.reasons.join('; ')}`, detected.reasons);
}

function paramFor(param: string, path: string, graph: ApiGraph, objectInfo: ObjectInfo): UserTemplateParam {
  const match = PATH.exec(path);
  if (!match) throw new InvalidParamPathError(param, path, 'not of the form <node id>.inputs.<input name>');
  const [, nodeId, input] = match as unknown as [string, string, string];
  const node = graph[nodeId];
  if (!node) {
    const nodes = Object.entries(graph).map(([id, n]) => `${id} (${n.class_type})`);
    throw new InvalidParamPathError(param, path, `there is no node ${nodeId}; the nodes are ${listed(nodes)}`);
  }
  const def = objectInfo[node.class_type];
  if (!def) {
    throw new InvalidParamPathError(param, path, `node ${nodeId} is a ${node.class_type}, which the object_info does not define`, 'install the custom node pack or pass --object-info from a worker that has it');
  }
  const inputs = orderedNodeInputs(def);
  const spec: InputSpec | undefined = inputs.find((i) => i.name === input)?.spec;
  if (!spec) {
    throw new InvalidParamPathError(param, path, `node ${nodeId} has no input '${input}'; its inputs are ${listed(inputs.map((i) => i.name))}`);
  }
  const kind = inputKind(spec);
  const type = paramTypeSchema.safeParse(kind);
  if (!type.success) {
    throw new InvalidParamPathError(param, path, `input '${input}' of node ${nodeId} (${node.class_type}) is a ${kind} connection, not a value`, 'point the parameter at a widget input (a number, text, toggle or list)');
  }
  const current = node.inputs[input];
  if (isLink(current)) {
    throw new InvalidParamPathError(param, path, `input '${input}' of node ${nodeId} is linked to node ${current[0]} output ${current[1]}; a parameter sets a value`, `point it at the input that feeds it (node ${current[0]}) instead`);
  }
  const options = inputOptions(spec);
  const result: UserTemplateParam = { path, type: type.data as ParamType, default: current ?? widgetDefault(spec) };
  if ((type.data === 'INT' || type.data === 'FLOAT') && typeof options.min === 'number') result.min = options.min;
  if ((type.data === 'INT' || type.data === 'FLOAT') && typeof options.max === 'number') result.max = options.max;
  if (type.data === 'COMBO') result.options = comboOptions(spec);
  return result;
}

/**
 * Turns a user's workflow into a stored template: converts editor workflows, checks that
 * every parameter path exists and takes a value, types it from the node definition, and lists
 * what a worker needs (node classes, model files).
 *
 * @example
 * importUserTemplate(json, { name: 'portrait', params: { prompt: '6.inputs.text', seed: '3.inputs.seed' }, objectInfo })
 */
export function importUserTemplate(json: unknown, options: ImportUserTemplateOptions): UserTemplate {
  if (!TEMPLATE_NAME.test(options.name)) {
    throw new InvalidUserTemplateError(`template name '${options.name}' is not usable as a file name`, 'use letters, digits, ".", "_" and "-" (at most 100)');
  }
  const { graph, format, warnings } = toApiGraph(json, options.objectInfo, options.lenient ?? false);
  const params: Record<string, UserTemplateParam> = {};
  for (const [param, path] of Object.entries(options.params)) params[param] = paramFor(param, path, graph, options.objectInfo);
  const nodeClasses = [...new Set(Object.values(graph).map((n) => n.class_type))].sort();
  const models = modelInputsOf(graph, options.objectInfo).map(({ nodeId, input, folder, file }) => ({ nodeId, input, folder, file }));
  return {
    id: `user:${options.name}`,
    name: options.name,
    version: 1,
    source: { format, sha256: createHash('sha256').update(JSON.stringify(json)).digest('hex'), warnings },
    graph,
    params,
    requirements: { nodeClasses, models },
  };
}
