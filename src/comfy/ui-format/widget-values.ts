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
 * Which widget list the saved `widgets_values` follow. Editors before
 * frontend 1.16 kept a slot for `forceInput` inputs of widget type; a list that long is read
 * with those slots (and their values dropped). Missing trailing values take the definition's
 * default, as the editor does when a node gains an input (see widgetValues).
 */
function chooseSlots(def: NodeDef, savedLength: number): WidgetSlot[] {
  const current = widgetSlots(def);
  if (savedLength === current.length) return current;
  const legacy = widgetSlots(def, { includeForceInput: true });
  return legacy.length !== current.length && savedLength === legacy.length ? legacy : current;
}

/** `steps=20`: how a default value is named in a warning. */
function shown(name: string, value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return `${name}=${text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
}

/**
 * The node's widget inputs with their values. An input the file holds no value for (or every
 * input, when the node was saved without `widgets_values`) takes the definition's default and
 * is listed in a warning with the value used; one whose definition has no default is not sent,
 * and the warning says so. Values a group node instance sets count as saved.
 */
export function widgetValues(node: ExecNode, def: NodeDef, ctx: WidgetReadContext): [string, unknown][] {
  const saved = node.widgetsValues;
  const label = `node ${node.execId} (${node.type})`;
  const out: [string, unknown][] = [];
  const defaulted: string[] = [];
  const withoutDefault: string[] = [];
  const take = (slot: WidgetSlot, has: boolean, value: unknown): void => {
    if (!slot.serialize) return;
    const override = node.widgetOverrides;
    if (override?.has(slot.name)) {
      out.push([slot.name, override.get(slot.name)]);
      return;
    }
    if (has) {
      out.push([slot.name, value]);
      return;
    }
    if (slot.defaultValue === undefined) {
      withoutDefault.push(slot.name);
      return;
    }
    ctx.filledDefaults.push({ node: node.execId, input: slot.name, value: slot.defaultValue });
    defaulted.push(shown(slot.name, slot.defaultValue));
    out.push([slot.name, slot.defaultValue]);
  };
  const report = (): [string, unknown][] => {
    const none = saved == null ? 'saved without widget values' : 'no saved value';
    if (defaulted.length > 0) ctx.warnings.push(`${label}: ${none} for ${defaulted.map((d) => d.slice(0, d.indexOf('='))).join(', ')}; using the definition default${defaulted.length === 1 ? '' : 's'} ${defaulted.join(', ')}`);
    if (withoutDefault.length > 0) ctx.warnings.push(`${label}: ${none} for ${withoutDefault.join(', ')}, and the definition gives no default: not sent`);
    return out;
  };

  if (Array.isArray(saved)) {
    const slots = chooseSlots(def, saved.length);
    if (saved.length > slots.length) {
      ctx.warnings.push(`${label}: ${saved.length} saved widget values for ${slots.length} widgets; the extra ${saved.length - slots.length} (likely a custom JS widget or an input since removed) are ignored`);
    }
    slots.forEach((slot, i) => take(slot, i < saved.length, saved[i]));
    return report();
  }
  const slots = widgetSlots(def);
  if (saved && typeof saved === 'object') {
    // Object-form widgets_values (some custom nodes): matched by widget name.
    const record = saved as Record<string, unknown>;
    for (const slot of slots) take(slot, slot.name in record, record[slot.name]);
    const unknown = Object.keys(record).filter((key) => !slots.some((s) => s.name === key));
    if (unknown.length > 0) ctx.warnings.push(`${label}: saved widget values ${unknown.join(', ')} match no input of ${def.name} and are not sent`);
    return report();
  }
  for (const slot of slots) take(slot, false, undefined);
  return report();
}
