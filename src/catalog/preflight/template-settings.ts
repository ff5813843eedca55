import { z } from 'zod';
import type { ApiGraph } from '../../comfy/graph.js';
import { modelFilesOf } from '../templates/requirements.js';
import type { AnyTemplate } from '../templates/template.js';

/** One parameter of a template as the CLI shows it (from the zod schema's JSON Schema). */
export interface TemplateParamInfo {
  name: string;
  type: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  optional: boolean;
  description?: string;
}

interface JsonSchemaProperty {
  type?: string | string[];
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  description?: string;
  anyOf?: JsonSchemaProperty[];
}

/** The parameters of a template with their types, defaults, choices and bounds. */
export function templateParams(template: AnyTemplate): TemplateParamInfo[] {
  const schema = z.toJSONSchema(template.params, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonSchemaProperty>;
    required?: string[];
  };
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, prop]) => {
    const inner = prop.anyOf?.find((p) => p.type !== undefined) ?? prop;
    const type = Array.isArray(inner.type) ? inner.type.join('|') : (inner.type ?? (inner.enum ? 'enum' : 'any'));
    const info: TemplateParamInfo = { name, type, optional: !required.has(name) || prop.default !== undefined };
    if (prop.default !== undefined) info.default = prop.default;
    if (inner.enum) info.enum = inner.enum;
    if (inner.minimum !== undefined) info.minimum = inner.minimum;
    if (inner.maximum !== undefined) info.maximum = inner.maximum;
    const description = prop.description ?? inner.description;
    if (description) info.description = description;
    return info;
  });
}

function tryBuild(template: AnyTemplate, params: Record<string, unknown>): ApiGraph | undefined {
  try {
    return template.build(params);
  } catch {
    return undefined;
  }
}

function loads(graph: ApiGraph, file: string): boolean {
  return modelFilesOf(graph).some((m) => m.file === file);
}

/**
 * The `--set name=value` that makes the template load `wanted` instead of `dropped`: a string
 * parameter holding the file name itself (`checkpoint`), or a choice parameter (`precision`)
 * whose other value swaps the file. Undefined when no single parameter does it.
 *
 * @example settingThatLoads(wan22I2v14b, {}, 'wan2.2_i2v_high_noise_14B_fp16.safetensors', '…fp8_scaled…') // 'precision=fp16'
 */
export function settingThatLoads(
  template: AnyTemplate,
  params: Record<string, unknown>,
  wanted: string,
  dropped: string,
  /** When given, the setting must leave no other file the worker lacks. */
  present?: (folder: string, file: string) => boolean,
): string | undefined {
  const current = safeParse(template, params);
  if (!current) return undefined;
  for (const info of templateParams(template)) {
    const candidates: unknown[] = current[info.name] === dropped ? [wanted] : (info.enum ?? []).filter((v) => v !== current[info.name]);
    for (const value of candidates) {
      const graph = tryBuild(template, { ...params, [info.name]: value });
      if (!graph || !loads(graph, wanted) || loads(graph, dropped)) continue;
      if (present && !modelFilesOf(graph).every((m) => present(m.folder, m.file))) continue;
      return `${info.name}=${String(value)}`;
    }
  }
  return undefined;
}

function safeParse(template: AnyTemplate, params: Record<string, unknown>): Record<string, unknown> | undefined {
  try {
    return template.parse(params) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
