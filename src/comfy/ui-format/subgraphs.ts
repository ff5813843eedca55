import { emptyScope, populateScope, type BuildContext } from './build-scope.js';
import { SubgraphRecursionError } from './errors/subgraph-recursion-error.js';
import { SUBGRAPH_INPUT_NODE_ID, SUBGRAPH_OUTPUT_NODE_ID } from './frontend-nodes.js';
import { indexLinks, type SubgraphDefinition } from './schema.js';
import type { ExecNode, Scope } from './scope.js';
import { hasControlWidget, inputOptions } from './widgets.js';

/**
 * Subgraphs (frontend ≥ 1.24): an instance node whose `type` is a definition's UUID. Its
 * inner nodes run under ids `<instance>:<inner>`. Inside the definition, links from the input
 * node carry `origin_id` -10 and `origin_slot` = the definition input's index; links into the
 * output node carry `target_id` -20. An input left unconnected on the instance takes the
 * instance's promoted widget value.
 */
export function buildSubgraphScope(instance: ExecNode, definition: SubgraphDefinition, ctx: BuildContext): Scope {
  if (ctx.expanding.includes(definition.id)) {
    throw new SubgraphRecursionError(instance.execId, [...ctx.expanding, definition.id]);
  }
  const scope = emptyScope([...instance.scope.path, instance.localId], indexLinks(definition.links), instance);
  ctx.expanding.push(definition.id);
  try {
    populateScope(scope, definition.nodes, ctx);
  } finally {
    ctx.expanding.pop();
  }
  const defInputs = definition.inputs ?? [];
  const promoted = promotedValues(instance, definition, scope);

  scope.boundaryInput = (slot) => {
    const name = defInputs[slot]?.name;
    if (name === undefined) return undefined;
    const index = instance.inputs.findIndex((input) => input.name === name);
    if (index >= 0 && instance.inputs[index]?.link != null) return { ownerInput: index };
    return promoted.has(name) ? { value: promoted.get(name) } : undefined;
  };

  scope.outputSource = (slot) => {
    const linkId = definition.outputs?.[slot]?.linkIds?.[0];
    let link = linkId === undefined ? undefined : scope.links.get(linkId);
    link ??= [...scope.links.values()].find((l) => l.targetId === SUBGRAPH_OUTPUT_NODE_ID && l.targetSlot === slot);
    if (!link) return undefined;
    if (link.originId === SUBGRAPH_INPUT_NODE_ID) return { boundarySlot: link.originSlot };
    return { localId: link.originId, slot: link.originSlot };
  };
  return scope;
}

/** The inner input a definition input feeds first, used to tell widget inputs from sockets. */
function firstInnerTarget(scope: Scope, slot: number): { node: ExecNode; inputIndex: number } | undefined {
  for (const link of scope.links.values()) {
    if (link.originId !== SUBGRAPH_INPUT_NODE_ID || link.originSlot !== slot) continue;
    const node = scope.nodes.get(link.targetId);
    if (!node) continue;
    const inputIndex = node.inputs.findIndex((input) => input.link === link.id);
    if (inputIndex >= 0) return { node, inputIndex };
  }
  return undefined;
}

/**
 * Values of the instance's promoted widgets by definition input name. Editors that write
 * `properties.proxyWidgets` store one value per `["-1", name]` entry in that order; newer ones
 * store one per widget-backed definition input in definition order. Some older files also
 * saved a slot for a seed's control mode, which is skipped when the array is that much longer.
 */
function promotedValues(instance: ExecNode, definition: SubgraphDefinition, scope: Scope): Map<string, unknown> {
  const values = new Map<string, unknown>();
  const saved = instance.widgetsValues;
  if (saved == null) return values;
  if (!Array.isArray(saved)) {
    for (const [name, value] of Object.entries(saved)) values.set(name, value);
    return values;
  }
  const proxy = instance.properties.proxyWidgets;
  if (Array.isArray(proxy)) {
    const names = proxy
      .filter((entry): entry is [unknown, string] => Array.isArray(entry) && String(entry[0]) === '-1' && typeof entry[1] === 'string')
      .map((entry) => entry[1]);
    names.forEach((name, i) => {
      if (i < saved.length) values.set(name, saved[i]);
    });
    return values;
  }
  const widgetInputs = (definition.inputs ?? []).flatMap((input, slot) => {
    const target = firstInnerTarget(scope, slot);
    const targetInput = target?.node.inputs[target.inputIndex];
    if (!target || !targetInput?.widget) return [];
    const spec = target.node.def?.input.required?.[targetInput.widget.name] ?? target.node.def?.input.optional?.[targetInput.widget.name];
    const control = spec !== undefined && hasControlWidget(targetInput.widget.name, spec);
    const comboControl = control && spec !== undefined && (Array.isArray(spec[0]) || spec[0] === 'COMBO') && Boolean(inputOptions(spec).control_after_generate);
    return [{ name: input.name, extra: control ? (comboControl ? 2 : 1) : 0 }];
  });
  const withControls = saved.length > widgetInputs.length;
  let index = 0;
  for (const { name, extra } of widgetInputs) {
    if (index < saved.length) values.set(name, saved[index]);
    index += 1 + (withControls ? extra : 0);
  }
  return values;
}
