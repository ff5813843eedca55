import type { NodeDef } from '../object-info/types.js';
import type { ExecNode } from './scope.js';
import { widgetSlots, type WidgetSlot } from './widgets.js';

/** An input the saved workflow had no value for (the node gained it after the file was saved). */
export interface FilledDefault {
  node: string;
  input: string;
  value: unknown;
}

export interface WidgetReadContext {
  warnings: string[];
  filledDefaults: FilledDefault[];
}

/**
 * Pairs the node definition's widget list with the saved `widgets_values`. Editors before
 * frontend 1.16 kept a slot for `forceInput` inputs of widget type; a list that long is read
 * with those slots (and their values dropped). Missing trailing values take the definition's
 * default, as the editor does when a node gains an input.
 */
function chooseSlots(def: NodeDef, savedLength: number): WidgetSlot[] {
  const current = widgetSlots(def);
  if (savedLength === current.length) return current;
  const legacy = widgetSlots(def, { includeForceInput: true });
  return legacy.length !== current.length && savedLength === legacy.length ? legacy : current;
}

export function widgetValues(node: ExecNode, def: NodeDef, ctx: WidgetReadContext): [string, unknown][] {
  const saved = node.widgetsValues;
  const label = `node ${node.execId} (${node.type})`;
  const out: [string, unknown][] = [];
  const take = (slot: WidgetSlot, has: boolean, value: unknown): void => {
    if (!slot.serialize) return;
    const override = node.widgetOverrides;
    if (override?.has(slot.name)) {
      out.push([slot.name, override.get(slot.name)]);
      return;
    }
    if (!has) {
      ctx.filledDefaults.push({ node: node.execId, input: slot.name, value: slot.defaultValue });
      out.push([slot.name, slot.defaultValue]);
      return;
    }
    out.push([slot.name, value]);
  };

  if (Array.isArray(saved)) {
    const slots = chooseSlots(def, saved.length);
    if (saved.length > slots.length) {
      ctx.warnings.push(`${label}: ${saved.length} saved widget values for ${slots.length} widgets; the extra ${saved.length - slots.length} (likely a custom JS widget or an input since removed) are ignored`);
    } else if (saved.length < slots.length && saved.length > 0) {
      const missing = slots.slice(saved.length).filter((s) => s.serialize).map((s) => s.name);
      if (missing.length > 0) ctx.warnings.push(`${label}: no saved value for ${missing.join(', ')}; using the definition default`);
    }
    slots.forEach((slot, i) => take(slot, i < saved.length, saved[i]));
    return out;
  }
  const slots = widgetSlots(def);
  if (saved && typeof saved === 'object') {
    // Object-form widgets_values (some custom nodes): matched by widget name.
    const record = saved as Record<string, unknown>;
    for (const slot of slots) take(slot, slot.name in record, record[slot.name]);
    const unknown = Object.keys(record).filter((key) => !slots.some((s) => s.name === key));
    if (unknown.length > 0) ctx.warnings.push(`${label}: saved widget values ${unknown.join(', ')} match no input of ${def.name} and are not sent`);
    return out;
  }
  for (const slot of slots) take(slot, false, undefined);
  return out;
}
