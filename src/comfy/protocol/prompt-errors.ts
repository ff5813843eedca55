import { z } from 'zod';

/**
 * The error shapes of `POST /prompt` exactly as ComfyUI 0.3.64 returns them (fixture
 * `05-invalid-prompts.json`). The validation module produces the same shapes.
 */
export const promptErrorSchema = z.looseObject({
  type: z.string(),
  message: z.string(),
  details: z.string(),
  extra_info: z.record(z.string(), z.unknown()).default({}),
});

export const nodeErrorSchema = z.looseObject({
  errors: z.array(promptErrorSchema),
  dependent_outputs: z.array(z.string()),
  class_type: z.string(),
});

export const nodeErrorsSchema = z.record(z.string(), nodeErrorSchema);

/** 400 body of `POST /prompt`: a prompt-level error plus per-node errors (often `{}`). */
export const promptErrorBodySchema = z.looseObject({
  error: promptErrorSchema,
  node_errors: nodeErrorsSchema.default({}),
});

export type PromptError = z.infer<typeof promptErrorSchema>;
export type NodeError = z.infer<typeof nodeErrorSchema>;
export type NodeErrors = z.infer<typeof nodeErrorsSchema>;
export type PromptErrorBody = z.infer<typeof promptErrorBodySchema>;
