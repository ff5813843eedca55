import type { InputSpec, NodeDef } from '../object-info/types.js';
import { emptyScope, makeExecNode, type BuildContext } from './build-scope.js';
import { PRIMITIVE_NODE, REROUTE, SUBGRAPH_INPUT_NODE_ID } from './frontend-nodes.js';
import type { GroupNodeDefinition, UiLink, UiNode } from './schema.js';
import type { ExecNode, Scope } from './scope.js';
import { comboOptions, hasControlWidget, inputKind, isWidgetInput, orderedNodeInputs, widgetSlots } from './widgets.js';

/**
 * Legacy group nodes (`workflow>Name`, older `workflow/Name`), defined in `extra.groupNodes`.
 * The editor registers each definition as a node type whose inputs are the inner inputs not
 * linked inside the group, whose outputs are the inner outputs not used only inside, and whose
 * widgets are the inner widgets in inner-node order (widgets converted to inputs come last).
 * An instance's `widgets_values` follow that widget list. Inner nodes run as `<instance>:<index>`.
 */
type GroupLink = [number | null, number, number, number, ...unknown[]];

interface GroupWidget {
  node: number;
  input: string;
  /** Control, filter and upload widgets hold a saved value but feed no inner widget. */
  feeds: boolean;
}

interface GroupLayout {
  widgets: GroupWidget[];
  /** `${node}:${inputIndex}` → group input index. */
  inputs: Map<string, number>;
  /** Group output index → inner node and slot. */
  outputs: { node: number; slot: number }[];
}

/** Frontend 1.16 gave every widget a socket in saved files; `1.16.0` and later say so. */
export function savesEverySocket(frontendVersion: string | undefined): boolean {
  const [major, minor] = (frontendVersion ?? '').split('.').map(Number);
  if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) return false;
  return major > 1 || (major === 1 && minor >= 16);
}

/**
 * Widget inputs of the current definition that the saved inner node has no socket for, when
 * the node was saved by frontend 1.16 or later: there a socket no longer means "converted to
 * an input" (every widget has one, linked or not), so a widget without one is an input the node
 * gained after the file was saved. It had no place in the instance's `widgets_values` then, and
 * must not take one now (every later value would shift by one): it keeps its own value or default.
 * A node counts as saved by 1.16+ when the file says so and one of its widget sockets is not
 * linked inside the group (a converted widget of an older file is there to be linked).
 */
function gainedWidgets(node: Pick<UiNode, 'inputs'>, backend: NodeDef, linkedSlots: ReadonlySet<number> | undefined, ctx: BuildContext): Set<string> {
  if (!savesEverySocket(ctx.frontendVersion)) return new Set();
  const inputs = node.inputs ?? [];
  const socketed = inputs.filter((input) => input.widget?.name !== undefined);
  const unlinkedSocket = inputs.some((input, i) => input.widget?.name !== undefined && input.link == null && !linkedSlots?.has(i));
  if (socketed.length === 0 || !unlinkedSocket) return new Set();
  const names = new Set(socketed.map((input) => input.widget!.name));
  return new Set(orderedNodeInputs(backend).filter(({ name, spec }) => isWidgetInput(spec) && !names.has(name)).map(({ name }) => name));
}

function asGroupLinks(links: unknown[][]): GroupLink[] {
  return links.filter((l): l is GroupLink => typeof l[1] === 'number' && typeof l[2] === 'number' && typeof l[3] === 'number');
}

function controlSlots(name: string, spec: InputSpec): GroupWidget['feeds'][] {
  if (!hasControlWidget(name, spec)) return [];
  return inputKind(spec) === 'COMBO' ? [false, false] : [false];
}

function layoutGroup(definition: GroupNodeDefinition, ctx: BuildContext): GroupLayout {
  const links = asGroupLinks(definition.links);
  const linksFrom = new Map<number, Map<number, GroupLink[]>>();
  const linksTo = new Map<number, Map<number, GroupLink>>();
  for (const link of links) {
    const [from, fromSlot, to, toSlot] = link;
    if (from == null) continue; // the link enters from outside the group
    const bySlot = linksFrom.get(from) ?? new Map<number, GroupLink[]>();
    bySlot.set(fromSlot, [...(bySlot.get(fromSlot) ?? []), link]);
    linksFrom.set(from, bySlot);
    const toSlots = linksTo.get(to) ?? new Map<number, GroupLink>();
    toSlots.set(toSlot, link);
    linksTo.set(to, toSlots);
  }
  // Old editors stored the node object itself as the key, which never matched an index.
  const externalFrom = new Map<number, Set<number>>();
  for (const ext of definition.external ?? []) {
    if (typeof ext[0] !== 'number' || typeof ext[1] !== 'number') continue;
    externalFrom.set(ext[0], (externalFrom.get(ext[0]) ?? new Set()).add(ext[1]));
  }
  const config = (definition.config ?? {}) as Record<string, { input?: Record<string, { visible?: boolean }>; output?: Record<string, { visible?: boolean }> }>;

  const layout: GroupLayout = { widgets: [], inputs: new Map(), outputs: [] };
  let inputCount = 0;
  const deferred: (() => void)[] = [];

  definition.nodes.forEach((node, index) => {
    const from = linksFrom.get(index);
    const to = linksTo.get(index);
    let def: { inputs: { name: string; spec: InputSpec }[]; outputs: string[] } | undefined;
    const backend: NodeDef | undefined = ctx.objectInfo[node.type];
    if (backend) {
      def = { inputs: orderedNodeInputs(backend), outputs: backend.output };
    } else if (node.type === PRIMITIVE_NODE) {
      const first = from?.get(0)?.[0];
      if (!first) return;
      let type = String(first[5]);
      const target = definition.nodes[first[2]];
      const targetName = node.outputs?.[0]?.widget?.name;
      const targetSpec = target && targetName ? (ctx.objectInfo[target.type]?.input.required?.[targetName] ?? ctx.objectInfo[target.type]?.input.optional?.[targetName]) : undefined;
      if (type === 'COMBO' && targetSpec) type = Array.isArray(targetSpec[0]) ? 'COMBO' : String(targetSpec[0]);
      // A linked primitive always gets a control widget inside a group (two for a combo).
      const spec: InputSpec = [type === 'COMBO' && targetSpec ? comboOptions(targetSpec) : type, { control_after_generate: true }];
      def = { inputs: [{ name: 'value', spec }], outputs: [type] };
    } else if (node.type === REROUTE) {
      if (to && from && !externalFrom.get(index)?.has(0)) return; // used only inside the group
      def = { inputs: [{ name: '*', spec: ['*', { forceInput: true }] }], outputs: ['*'] };
    } else {
      return;
    }

    const nodeInputs = node.inputs ?? [];
    const converted = new Map<number, string>();
    const slots: string[] = [];
    const slotSpecs = new Map<string, InputSpec>();
    const convertedNames = new Set<string>();
    // Every socket is saved; one the saved node lacks was gained since, and numbering it would
    // shift every later group input off the instance input it was saved as.
    const savedSockets = backend && node.inputs ? new Set(node.inputs.map((input) => input.name)) : undefined;
    for (const { name, spec } of def.inputs) {
      // The group builder asks only whether the type is a widget type (forceInput does not matter).
      const widgetType = inputKind(spec) !== '*' && isWidgetInput([spec[0]]);
      if (!widgetType) {
        if (savedSockets && !savedSockets.has(name)) continue;
        slots.push(name);
        continue;
      }
      const convertedIndex = nodeInputs.findIndex((input) => input.name === name && input.widget?.name === name);
      if (convertedIndex > -1) {
        converted.set(convertedIndex, name);
        convertedNames.add(name);
        slotSpecs.set(name, spec);
      }
    }
    // Normal widgets in the editor's order, with their control and upload companions.
    if (backend) {
      const gained = gainedWidgets(node, backend, to ? new Set(to.keys()) : undefined, ctx);
      let skipCompanions = false;
      for (const slot of widgetSlots(backend, { includeForceInput: true })) {
        if (slot.kind === 'control' || slot.kind === 'filter') {
          if (!skipCompanions) layout.widgets.push({ node: index, input: slot.name, feeds: false });
          continue;
        }
        skipCompanions = convertedNames.has(slot.name) || gained.has(slot.name);
        if (skipCompanions) continue;
        layout.widgets.push({ node: index, input: slot.name, feeds: slot.kind !== 'upload' });
      }
    } else if (node.type === PRIMITIVE_NODE) {
      const spec = def.inputs[0]?.spec as InputSpec;
      layout.widgets.push({ node: index, input: 'value', feeds: true });
      for (const feeds of controlSlots('value', spec)) layout.widgets.push({ node: index, input: 'control_after_generate', feeds });
    }

    slots.forEach((_name, slotIndex) => {
      if (to?.has(slotIndex)) return;
      const inputName = def.inputs.filter((i) => slots.includes(i.name))[slotIndex]?.name ?? '';
      if (config[String(index)]?.input?.[inputName]?.visible === false) return;
      layout.inputs.set(`${index}:${slotIndex}`, inputCount++);
    });

    def.outputs.forEach((_type, slot) => {
      const internal = from?.get(slot) !== undefined && !externalFrom.get(index)?.has(slot);
      const visible = config[String(index)]?.output?.[String(slot)]?.visible ?? !internal;
      if (visible) layout.outputs.push({ node: index, slot });
    });

    deferred.push(() => {
      // Converted widgets join after every node, ordered like the editor (a string sort).
      const order = [...converted.keys()].sort();
      order.forEach((key, i) => {
        const name = converted.get(key) as string;
        if (to?.has(slots.length + i)) return;
        layout.widgets.push({ node: index, input: name, feeds: true });
        for (const feeds of controlSlots(name, slotSpecs.get(name) as InputSpec)) layout.widgets.push({ node: index, input: 'control_after_generate', feeds });
        layout.inputs.set(`${index}:${slots.length + i}`, inputCount++);
      });
    });
  });
  for (const run of deferred) run();
  return layout;
}

export function buildGroupScope(instance: ExecNode, name: string, definition: GroupNodeDefinition, ctx: BuildContext): Scope {
  const layout = layoutGroup(definition, ctx);
  const links = new Map<number, UiLink>();
  const innerNodes: UiNode[] = definition.nodes.map((node, index) => ({
    ...node,
    id: index,
    inputs: (node.inputs ?? []).map((input) => ({ ...input, link: null })),
  }));
  let nextLinkId = 1;
  for (const [from, fromSlot, to, toSlot] of asGroupLinks(definition.links)) {
    const target = innerNodes[to]?.inputs?.[toSlot];
    if (from == null || !target) continue;
    const id = nextLinkId++;
    links.set(id, { id, originId: String(from), originSlot: fromSlot, targetId: String(to), targetSlot: toSlot, type: undefined });
    target.link = id;
  }
  for (const [key, groupInput] of layout.inputs) {
    const [node, slot] = key.split(':').map(Number) as [number, number];
    const target = innerNodes[node]?.inputs?.[slot];
    if (!target) continue;
    const id = nextLinkId++;
    links.set(id, { id, originId: SUBGRAPH_INPUT_NODE_ID, originSlot: groupInput, targetId: String(node), targetSlot: slot, type: undefined });
    target.link = id;
  }

  const scope = emptyScope([...instance.scope.path, instance.localId], links, instance);
  const saved = Array.isArray(instance.widgetsValues) ? instance.widgetsValues : [];
  if (!Array.isArray(instance.widgetsValues) && instance.widgetsValues != null) ctx.warnings.push(`group node ${instance.execId} (${name}): widgets_values is not a list; inner widgets keep their saved values`);
  const overrides = new Map<number, Map<string, unknown>>();
  layout.widgets.forEach((widget, i) => {
    if (!widget.feeds || i >= saved.length) return;
    const map = overrides.get(widget.node) ?? new Map<string, unknown>();
    map.set(widget.input, saved[i]);
    overrides.set(widget.node, map);
  });
  innerNodes.forEach((node, index) => {
    const exec = makeExecNode(node, scope, ctx);
    const override = overrides.get(index);
    if (override) exec.widgetOverrides = override;
    scope.nodes.set(exec.localId, exec);
    scope.ordered.push(exec);
  });
  scope.boundaryInput = (slot) => (instance.inputs[slot]?.link != null ? { ownerInput: slot } : undefined);
  scope.outputSource = (slot) => {
    const source = layout.outputs[slot];
    return source ? { localId: String(source.node), slot: source.slot } : undefined;
  };
  return scope;
}
