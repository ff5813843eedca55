import { z } from 'zod';

/**
 * The editor's saved workflow ("UI format"), as far as conversion needs it. Everything is a
 * loose object: the editor stores layout, colours and extension state we carry but never read.
 * Schema 0.4 stores links as arrays, schema 1 (and subgraph definitions) as objects; both parse.
 */
const nodeIdSchema = z.union([z.number(), z.string()]);

export const uiInputSlotSchema = z.looseObject({
  name: z.string(),
  type: z.union([z.string(), z.number(), z.array(z.string())]).optional(),
  link: z.number().nullable().optional(),
  widget: z.looseObject({ name: z.string() }).optional(),
  label: z.string().optional(),
});

export const uiOutputSlotSchema = z.looseObject({
  name: z.string().optional(),
  type: z.union([z.string(), z.number(), z.array(z.string())]).optional(),
  links: z.array(z.number()).nullable().optional(),
  widget: z.looseObject({ name: z.string() }).optional(),
});

export const uiNodeSchema = z.looseObject({
  id: nodeIdSchema,
  type: z.string(),
  mode: z.number().optional(),
  title: z.string().optional(),
  inputs: z.array(uiInputSlotSchema).optional(),
  outputs: z.array(uiOutputSlotSchema).optional(),
  widgets_values: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).nullable().optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});

/** `[id, origin_id, origin_slot, target_id, target_slot, type]` (schema 0.4). */
export const uiLinkArraySchema = z.tuple([z.number(), nodeIdSchema, z.number(), nodeIdSchema, z.number()]).rest(z.unknown());

export const uiLinkObjectSchema = z.looseObject({
  id: z.number(),
  origin_id: nodeIdSchema,
  origin_slot: z.number(),
  target_id: nodeIdSchema,
  target_slot: z.number(),
  type: z.unknown().optional(),
  parentId: z.number().optional(),
});

const linksSchema = z.array(z.union([uiLinkArraySchema, uiLinkObjectSchema, z.null()]));

export const subgraphIoSlotSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  type: z.union([z.string(), z.number(), z.array(z.string())]).optional(),
  linkIds: z.array(z.number()).optional(),
  label: z.string().optional(),
});

export const subgraphDefinitionSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  nodes: z.array(uiNodeSchema),
  links: linksSchema.optional(),
  inputs: z.array(subgraphIoSlotSchema).optional(),
  outputs: z.array(subgraphIoSlotSchema).optional(),
  widgets: z.array(z.unknown()).optional(),
});

/** Legacy group node definition (`extra.groupNodes[name]`), links as `[from, slot, to, slot, linkId, type]`. */
export const groupNodeDefinitionSchema = z.looseObject({
  nodes: z.array(uiNodeSchema.extend({ id: nodeIdSchema.optional() })),
  links: z.array(z.array(z.unknown())),
  external: z.array(z.array(z.unknown())).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});

export const uiWorkflowSchema = z.looseObject({
  version: z.union([z.number(), z.string()]).optional(),
  nodes: z.array(uiNodeSchema),
  links: linksSchema.optional(),
  extra: z
    .looseObject({
      groupNodes: z.record(z.string(), groupNodeDefinitionSchema).optional(),
    })
    .nullable()
    .optional(),
  definitions: z.looseObject({ subgraphs: z.array(subgraphDefinitionSchema).optional() }).nullable().optional(),
});

export type UiInputSlot = z.infer<typeof uiInputSlotSchema>;
export type UiOutputSlot = z.infer<typeof uiOutputSlotSchema>;
export type UiNode = z.infer<typeof uiNodeSchema>;
export type UiLinkArray = z.infer<typeof uiLinkArraySchema>;
export type UiLinkObject = z.infer<typeof uiLinkObjectSchema>;
export type SubgraphDefinition = z.infer<typeof subgraphDefinitionSchema>;
export type GroupNodeDefinition = z.infer<typeof groupNodeDefinitionSchema>;
export type UiWorkflow = z.infer<typeof uiWorkflowSchema>;

/** A link in one shape whatever the schema version wrote. */
export interface UiLink {
  id: number;
  originId: string;
  originSlot: number;
  targetId: string;
  targetSlot: number;
  type: unknown;
}

/** Normalises a links table (arrays or objects, possibly with holes) to `UiLink`s by id. */
export function indexLinks(links: UiWorkflow['links']): Map<number, UiLink> {
  const byId = new Map<number, UiLink>();
  for (const link of links ?? []) {
    if (link === null) continue;
    const normal: UiLink = Array.isArray(link)
      ? { id: link[0], originId: String(link[1]), originSlot: link[2], targetId: String(link[3]), targetSlot: link[4], type: link[5] }
      : { id: link.id, originId: String(link.origin_id), originSlot: link.origin_slot, targetId: String(link.target_id), targetSlot: link.target_slot, type: link.type };
    byId.set(normal.id, normal);
  }
  return byId;
}
