import { closestMatch } from '../../platform/did-you-mean.js';
import { z } from 'zod';
import type { ApiGraph, InputValue } from '../../comfy/graph.js';
import { InvalidUserTemplateError } from './errors/invalid-user-template-error.js';
import type { UserTemplate, UserTemplateParam } from './types.js';

/** The zod schema a parameter's value must satisfy, from the type recorded at import. */
export function paramValueSchema(param: UserTemplateParam): z.ZodType {
  switch (param.type) {
    case 'INT': {
      let schema = z.number().int();
      if (param.min !== undefined) schema = schema.min(param.min);
      if (param.max !== undefined) schema = schema.max(param.max);
      return schema;
    }
    case 'FLOAT': {
      let schema = z.number();
      if (param.min !== undefined) schema = schema.min(param.min);
      if (param.max !== undefined) schema = schema.max(param.max);
      return schema;
    }
    case 'STRING':
      return z.string();
    case 'BOOLEAN':
      return z.boolean();
    case 'COMBO': {
      // Model lists differ per worker, so only non-file combos are held to the recorded options.
      const options = param.options ?? [];
      const looksLikeFiles = options.some((o) => typeof o === 'string' && /\.(safetensors|ckpt|pt|pth|bin|gguf|sft|onnx)$/i.test(o));
      if (options.length === 0 || looksLikeFiles) return z.union([z.string(), z.number()]);
      return z.unknown().refine((v) => options.includes(v), { message: `must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}` });
    }
  }
}

function splitPath(path: string): [string, string] {
  const dot = path.indexOf('.inputs.');
  return [path.slice(0, dot), path.slice(dot + '.inputs.'.length)];
}

/**
 * A copy of the template's graph with parameter values set; parameters not given keep their
 * default. Unknown names and wrongly typed values are refused before anything is built.
 */
export function buildUserTemplate(template: UserTemplate, values: Record<string, unknown> = {}): ApiGraph {
  const unknown = Object.keys(values).filter((name) => !(name in template.params));
  if (unknown.length > 0) {
    const known = Object.keys(template.params);
    const near = unknown.map((name) => closestMatch(name, known)).find((n) => n !== undefined);
    throw new InvalidUserTemplateError(
      `template ${template.name} has no parameter ${unknown.join(', ')}`,
      `${near ? `did you mean ${near}? ` : ''}its parameters are ${known.join(', ') || '(none)'}`,
    );
  }
  const graph = structuredClone(template.graph) as ApiGraph;
  for (const [name, param] of Object.entries(template.params)) {
    const value = name in values ? values[name] : param.default;
    const checked = paramValueSchema(param).safeParse(value);
    if (!checked.success) {
      throw new InvalidUserTemplateError(`param ${name} (${param.type}) = ${JSON.stringify(value)}: ${checked.error.issues[0]?.message ?? 'invalid'}`, `give ${name} a ${param.type.toLowerCase()} value`);
    }
    const [nodeId, input] = splitPath(param.path);
    const node = graph[nodeId];
    if (!node) throw new InvalidUserTemplateError(`template ${template.name}: param ${name} names node ${nodeId}, which its graph lacks`, 'import the template again');
    node.inputs[input] = (Array.isArray(value) ? { __value__: value } : value) as InputValue;
  }
  return graph;
}
