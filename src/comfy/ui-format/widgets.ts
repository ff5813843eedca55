import type { InputOptions, InputSpec, NodeDef } from '../object-info/types.js';

/**
 * The widgets the editor builds for a node, in the order it stores their values in
 * `widgets_values`. Besides one widget per widget-type input, the editor adds widgets that are
 * saved but never sent: a control mode after seeds (plus a filter string after combos) and an
 * upload button after file pickers. A headless converter has to rebuild exactly this list to
 * read `widgets_values`.
 */
export type WidgetKind = 'INT' | 'FLOAT' | 'STRING' | 'BOOLEAN' | 'COMBO' | 'CUSTOM' | 'control' | 'filter' | 'upload';

export interface WidgetSlot {
  /** Input name for real widgets; `control_after_generate`, `control_filter_list`, `upload` otherwise. */
  name: string;
  kind: WidgetKind;
  /** False for the editor-only widgets: their value is saved in the workflow but not sent. */
  serialize: boolean;
  spec?: InputSpec;
  defaultValue: unknown;
}

const PRIMITIVE_WIDGET_TYPES = new Set(['INT', 'FLOAT', 'STRING', 'BOOLEAN', 'COMBO']);
/** Widget types the frontend (or its bundled extensions) draws itself; values travel as saved. */
export const FRONTEND_WIDGET_TYPES = new Set([
  'MARKDOWN',
  'WEBCAM',
  'AUDIO_RECORD',
  'LOAD_3D',
  'LOAD_3D_ANIMATION',
  'IMAGECOMPARE',
  'COLOR',
  'BOUNDING_BOX',
]);
const UPLOAD_FLAGS = ['image_upload', 'video_upload', 'audio_upload'] as const;

export function inputOptions(spec: InputSpec | undefined): InputOptions {
  return (spec?.[1] ?? {}) as InputOptions;
}

/** `COMBO` for list and V3 combos, the type name otherwise. */
export function inputKind(spec: InputSpec): string {
  const type = spec[0];
  if (Array.isArray(type)) return 'COMBO';
  return type;
}

export function comboOptions(spec: InputSpec): unknown[] {
  const type = spec[0];
  if (Array.isArray(type)) return type;
  const options = inputOptions(spec).options;
  return Array.isArray(options) ? options : [];
}

/** True when the editor draws this input as a widget (not a socket-only input). */
export function isWidgetInput(spec: InputSpec): boolean {
  const kind = inputKind(spec);
  if (!PRIMITIVE_WIDGET_TYPES.has(kind) && !FRONTEND_WIDGET_TYPES.has(kind)) return false;
  return inputOptions(spec).forceInput !== true;
}

export function widgetDefault(spec: InputSpec): unknown {
  const options = inputOptions(spec);
  switch (inputKind(spec)) {
    case 'COMBO':
      return options.default ?? comboOptions(spec)[0];
    case 'INT':
    case 'FLOAT':
      return options.default ?? options.min ?? 0;
    case 'STRING':
      return options.default ?? '';
    case 'BOOLEAN':
      return options.default ?? false;
    default:
      return options.default;
  }
}

/** Whether the editor puts a control widget (fixed/increment/…) after this input's widget. */
export function hasControlWidget(name: string, spec: InputSpec): boolean {
  const kind = inputKind(spec);
  const flag = inputOptions(spec).control_after_generate;
  if (kind === 'INT' && (name === 'seed' || name === 'noise_seed')) return flag !== false;
  return (kind === 'INT' || kind === 'COMBO') && Boolean(flag);
}

function orderedInputs(def: NodeDef, section: 'required' | 'optional'): [string, InputSpec][] {
  const specs = def.input[section] ?? {};
  const order = def.input_order?.[section] ?? Object.keys(specs);
  const seen = new Set<string>();
  const result: [string, InputSpec][] = [];
  for (const name of [...order, ...Object.keys(specs)]) {
    const spec = specs[name];
    if (spec === undefined || seen.has(name)) continue;
    seen.add(name);
    result.push([name, spec]);
  }
  return result;
}

/** All inputs of a node definition in editor order: required, then optional (hidden never). */
export function orderedNodeInputs(def: NodeDef): { name: string; spec: InputSpec; optional: boolean }[] {
  return [
    ...orderedInputs(def, 'required').map(([name, spec]) => ({ name, spec, optional: false })),
    ...orderedInputs(def, 'optional').map(([name, spec]) => ({ name, spec, optional: true })),
  ];
}

export interface WidgetListOptions {
  /** Keep a slot for `forceInput` widget-type inputs, as editors before frontend 1.16 did. */
  includeForceInput?: boolean;
}

/** The editor's widget list for one node definition (see the module comment). */
export function widgetSlots(def: NodeDef, options: WidgetListOptions = {}): WidgetSlot[] {
  const slots: WidgetSlot[] = [];
  let uploadAfterRequired = false;
  const sections: ('required' | 'optional')[] = ['required', 'optional'];
  for (const section of sections) {
    for (const [name, spec] of orderedInputs(def, section)) {
      const kind = inputKind(spec);
      const forced = inputOptions(spec).forceInput === true;
      if (!isWidgetInput(spec)) {
        const oldStyleSlot = forced && options.includeForceInput && (PRIMITIVE_WIDGET_TYPES.has(kind) || FRONTEND_WIDGET_TYPES.has(kind));
        if (oldStyleSlot) slots.push({ name, kind: kind as WidgetKind, serialize: false, spec, defaultValue: widgetDefault(spec) });
        continue;
      }
      const widgetKind: WidgetKind = PRIMITIVE_WIDGET_TYPES.has(kind) ? (kind as WidgetKind) : 'CUSTOM';
      slots.push({ name, kind: widgetKind, serialize: true, spec, defaultValue: widgetDefault(spec) });
      if (hasControlWidget(name, spec)) {
        slots.push({ name: 'control_after_generate', kind: 'control', serialize: false, defaultValue: 'randomize' });
        if (kind === 'COMBO') slots.push({ name: 'control_filter_list', kind: 'filter', serialize: false, defaultValue: '' });
      }
      if (section === 'required' && UPLOAD_FLAGS.some((flag) => inputOptions(spec)[flag] === true)) uploadAfterRequired = true;
    }
    // The upload button is appended to the required inputs by the editor's upload extensions.
    if (section === 'required' && uploadAfterRequired) {
      slots.push({ name: 'upload', kind: 'upload', serialize: false, defaultValue: 'image' });
    }
  }
  return slots;
}
