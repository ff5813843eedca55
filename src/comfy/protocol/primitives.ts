import { z } from 'zod';

/** Node ids are strings on the wire ("9", "57:12" for subgraph members, "12.0.0.3" for expansions). */
export const nodeIdSchema = z.string();

/** ComfyUI accepts any string as prompt id in 0.3.64 (newer versions require a UUID). */
export const promptIdSchema = z.string();

/** `timestamp` on execution_* messages: integer ms since epoch (safe-integer range). */
export const timestampSchema = z.number().int();

/** Memory figures are integer bytes; kept as plain numbers (they stay below 2^53). */
export const byteCountSchema = z.number();

/** `{filename, subfolder, type}`: how every output, upload and /view refers to a file. */
export const fileRefSchema = z.looseObject({
  filename: z.string(),
  subfolder: z.string().default(''),
  type: z.string().default('output'),
});

export type FileRefJson = z.infer<typeof fileRefSchema>;
