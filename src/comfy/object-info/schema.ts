import { z } from 'zod';
import type { ObjectInfo } from './types.js';

const inputSpec = z.union([
  z.tuple([z.union([z.string(), z.array(z.unknown())])]),
  z.tuple([z.union([z.string(), z.array(z.unknown())]), z.record(z.string(), z.unknown())]),
]);

export const nodeDefSchema = z.looseObject({
  input: z.looseObject({
    required: z.record(z.string(), inputSpec).optional(),
    optional: z.record(z.string(), inputSpec).optional(),
    hidden: z.record(z.string(), z.unknown()).optional(),
  }),
  input_order: z
    .looseObject({
      required: z.array(z.string()).optional(),
      optional: z.array(z.string()).optional(),
      hidden: z.array(z.string()).optional(),
    })
    .optional(),
  output: z.array(z.string()),
  output_is_list: z.array(z.boolean()),
  output_name: z.array(z.string()),
  output_tooltips: z.array(z.string().nullable()).optional(),
  name: z.string(),
  display_name: z.string().nullable(),
  description: z.string(),
  python_module: z.string(),
  category: z.string(),
  output_node: z.boolean(),
  deprecated: z.boolean().optional(),
  experimental: z.boolean().optional(),
  api_node: z.boolean().nullable().optional(),
});

export const objectInfoSchema = z.record(z.string(), nodeDefSchema);

/** Validates a parsed `/object_info` body; throws a zod error naming the node and key. */
export function parseObjectInfo(json: unknown): ObjectInfo {
  return objectInfoSchema.parse(json) as unknown as ObjectInfo;
}
