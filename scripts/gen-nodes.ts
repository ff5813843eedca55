/**
 * Generates src/catalog/nodes/generated.ts: one TypeScript interface of inputs per ComfyUI node
 * class, plus the runtime table of output types and names, from `extendedObjectInfo()` (core
 * 0.3.64 + the newer/custom nodes in assets/comfyui/nodes). Run with `npm run gen:nodes`
 * (`tsx scripts/gen-nodes.ts`); `--check` exits 1 when the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultObjectInfo } from '../src/comfy/object-info/load.js';
import type { InputSpec, NodeDef, ObjectInfo } from '../src/comfy/object-info/types.js';

const OUT_PATH = fileURLToPath(new URL('../src/catalog/nodes/generated.ts', import.meta.url));
/** Combos with more options than this are typed `string` (a long union helps nobody). */
const MAX_LITERAL_OPTIONS = 50;

async function loadObjectInfo(): Promise<{ info: ObjectInfo; source: string }> {
  // The extended set lives in another module; fall back to the core snapshot until it exists.
  const extendedPath = '../src/comfy/object-info/extra-nodes.js';
  try {
    const mod = (await import(extendedPath)) as { extendedObjectInfo?: () => ObjectInfo };
    if (typeof mod.extendedObjectInfo === 'function') {
      return { info: mod.extendedObjectInfo(), source: 'extendedObjectInfo()' };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
  }
  return { info: defaultObjectInfo(), source: 'defaultObjectInfo() (core 0.3.64 only)' };
}

const WIDGET_TYPES: Record<string, string> = { INT: 'number', FLOAT: 'number', STRING: 'string', BOOLEAN: 'boolean' };

function literal(value: unknown): string {
  return typeof value === 'string' ? quote(value) : typeof value === 'number' || typeof value === 'boolean' ? String(value) : 'never';
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name);
}

function comboType(options: unknown[]): string {
  const usable = options.filter((o) => ['string', 'number', 'boolean'].includes(typeof o));
  if (usable.length === 0 || usable.length > MAX_LITERAL_OPTIONS) {
    const kinds = new Set(usable.map((o) => typeof o));
    return kinds.size === 1 && kinds.has('number') ? 'number' : 'string';
  }
  return [...new Set(usable.map(literal))].join(' | ');
}

function socketType(type: string): string {
  if (type === '*') return 'AnySocketLink';
  return type
    .split(',')
    .map((t) => `SocketLink<${quote(t.trim())}>`)
    .join(' | ');
}

/**
 * Combos whose options are files on the worker (models, input images): the snapshot's lists are
 * one machine's files, so they are typed `string` (validation checks them per worker).
 */
function isFileCombo(classType: string, input: string, options: unknown[]): boolean {
  if (/Load/.test(classType) && /(_name\d?|^image|^file|^audio|^video)$/.test(input)) return true;
  return options.some((o) => typeof o === 'string' && /\.(safetensors|ckpt|pt|pth|bin|gguf|sft|onnx|png|jpe?g|webp|mp4|webm)$/i.test(o));
}

/** The TypeScript type of one input; widgets also accept a link of their own type. */
export function inputType(spec: InputSpec, classType = '', input = ''): string {
  const [type, options] = spec;
  const combo = Array.isArray(type) ? type : type === 'COMBO' && Array.isArray(options?.options) ? options.options : undefined;
  if (combo && isFileCombo(classType, input, combo)) return 'string';
  if (Array.isArray(type)) return comboType(type);
  if (type === 'COMBO') return comboType(Array.isArray(options?.options) ? options.options : []);
  const widget = WIDGET_TYPES[type];
  if (widget) return `${widget} | SocketLink<${quote(type)}>`;
  return socketType(type);
}

function docOf(spec: InputSpec): string {
  const options = spec[1];
  if (!options) return '';
  const parts: string[] = [];
  if (options.default !== undefined && typeof options.default !== 'object') parts.push(`default ${String(options.default)}`);
  if (typeof options.min === 'number' && typeof options.max === 'number') parts.push(`${options.min}…${options.max}`);
  else if (typeof options.min === 'number') parts.push(`≥ ${options.min}`);
  else if (typeof options.max === 'number') parts.push(`≤ ${options.max}`);
  if (typeof options.step === 'number') parts.push(`step ${options.step}`);
  return parts.length ? `/** ${parts.join(', ').replace(/\*\//g, '* /')} */ ` : '';
}

function interfaceName(classType: string, taken: Set<string>): string {
  const base = classType
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
  let name = `${/^[0-9]/.test(base) ? `N${base}` : base || 'Node'}Inputs`;
  for (let i = 2; taken.has(name); i++) name = `${base}${i}Inputs`;
  taken.add(name);
  return name;
}

function renderInterface(name: string, classType: string, def: NodeDef): string {
  const lines = [`/** \`${classType}\` (${def.python_module}). */`, `export interface ${name} {`];
  for (const [section, optional] of [
    ['required', false],
    ['optional', true],
  ] as const) {
    for (const [input, spec] of Object.entries(def.input[section] ?? {})) {
      lines.push(`  ${docOf(spec)}${propertyKey(input)}${optional ? '?' : ''}: ${inputType(spec, classType, input)};`);
    }
  }
  lines.push('}');
  return lines.join('\n');
}

export function render(info: ObjectInfo, source: string): string {
  const classes = Object.keys(info).sort();
  const taken = new Set<string>();
  const names = new Map(classes.map((c) => [c, interfaceName(c, taken)]));
  const parts = [
    `// Generated by scripts/gen-nodes.ts from ${source}: ${classes.length} node classes.`,
    '// Do not edit by hand; run `npm run gen:nodes` after the object_info assets change.',
    '/* eslint-disable */',
    "import type { AnySocketLink, SocketLink } from '../graph/socket-link.js';",
    '',
  ];
  for (const c of classes) parts.push(renderInterface(names.get(c)!, c, info[c]!), '');
  parts.push('/** Inputs of every known node class, keyed by class_type. */', 'export interface NodeInputs {');
  for (const c of classes) parts.push(`  ${quote(c)}: ${names.get(c)};`);
  parts.push('}', '');
  parts.push('/** Output socket types and names of every known node class, by index. */', 'export const NODE_OUTPUTS = {');
  for (const c of classes) {
    const def = info[c]!;
    parts.push(`  ${quote(c)}: { types: [${def.output.map(quote).join(', ')}], names: [${def.output_name.map(quote).join(', ')}] },`);
  }
  parts.push('} as const;', '', 'export type NodeClass = keyof NodeInputs;', '');
  return parts.join('\n');
}

async function main(): Promise<void> {
  const { info, source } = await loadObjectInfo();
  const text = render(info, source);
  if (process.argv.includes('--check')) {
    const current = readFileSync(OUT_PATH, 'utf8');
    if (current !== text) {
      console.error(`${OUT_PATH} is stale: run npm run gen:nodes`);
      process.exit(1);
    }
    console.log('generated node types are up to date');
    return;
  }
  writeFileSync(OUT_PATH, text);
  console.log(`wrote ${OUT_PATH} (${Object.keys(info).length} classes from ${source})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
