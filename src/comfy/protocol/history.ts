import { z } from 'zod';
import { nodeIdSchema, promptIdSchema } from './primitives.js';

/** `[number, prompt_id, prompt, extra_data, outputs_to_execute]` (queue items and history `prompt`). */
export const queueItemSchema = z
  .tuple([z.number(), promptIdSchema, z.record(z.string(), z.unknown()), z.record(z.string(), z.unknown()), z.array(nodeIdSchema)])
  .rest(z.unknown());

/** `[event, data]` pairs of the executor's own events, stored in history `status.messages`. */
export const historyMessageSchema = z.tuple([z.string(), z.record(z.string(), z.unknown())]);

export const historyStatusSchema = z.looseObject({
  status_str: z.string(),
  completed: z.boolean(),
  messages: z.array(historyMessageSchema),
});

/** A node's UI output dict (`{images: [...]}`, `{text: [...]}`, custom keys…). */
export const nodeOutputSchema = z.record(z.string(), z.unknown());

export const historyEntrySchema = z.looseObject({
  prompt: queueItemSchema,
  outputs: z.record(nodeIdSchema, nodeOutputSchema),
  // Very old servers stored no status; treat null as "completed, status unknown".
  status: historyStatusSchema.nullable().optional(),
  meta: z
    .record(
      nodeIdSchema,
      z.looseObject({
        node_id: z.string().optional(),
        display_node: z.string().optional(),
        parent_node: z.string().nullable().optional(),
        real_node_id: z.string().optional(),
      }),
    )
    .optional(),
});

/** `GET /history` and `GET /history/{id}` (unknown id → `{}`). */
export const historySchema = z.record(promptIdSchema, historyEntrySchema);

export type QueueItem = z.infer<typeof queueItemSchema>;
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type History = z.infer<typeof historySchema>;
export type NodeOutput = z.infer<typeof nodeOutputSchema>;
