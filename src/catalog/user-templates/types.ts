import { z } from 'zod';
import type { ApiGraph } from '../../comfy/graph.js';

/**
 * A user template: a workflow the user brought (API or editor format), stored as an API graph
 * with named parameters pointing at node inputs (`"6.inputs.text"`). Serialisable as JSON.
 */
export const paramTypeSchema = z.enum(['INT', 'FLOAT', 'STRING', 'BOOLEAN', 'COMBO']);
export type ParamType = z.infer<typeof paramTypeSchema>;

export const userTemplateParamSchema = z.object({
  path: z.string(),
  type: paramTypeSchema,
  default: z.unknown(),
  min: z.number().optional(),
  max: z.number().optional(),
  options: z.array(z.unknown()).optional(),
});
export type UserTemplateParam = z.infer<typeof userTemplateParamSchema>;

export const userTemplateSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int().positive(),
  source: z.object({ format: z.enum(['api', 'ui']), sha256: z.string(), warnings: z.array(z.string()) }),
  graph: z.record(z.string(), z.looseObject({ class_type: z.string(), inputs: z.record(z.string(), z.unknown()) })),
  params: z.record(z.string(), userTemplateParamSchema),
  requirements: z.object({
    nodeClasses: z.array(z.string()),
    models: z.array(z.object({ nodeId: z.string(), input: z.string(), folder: z.string(), file: z.string() })),
  }),
});
/** The graph is an API prompt; the schema checks only its outline (class_type and inputs per node). */
export type UserTemplate = Omit<z.infer<typeof userTemplateSchema>, 'graph'> & { graph: ApiGraph };

/** Names double as file names: letters, digits, `.`, `_`, `-`. */
export const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
