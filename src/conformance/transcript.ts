import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The transcript format of test/fixtures/comfyui/NN-name.json (recorded from real ComfyUI
 * 0.3.64; see that folder's README). The scenario runner writes live transcripts in the same
 * format, so a recording made against any server can be compared with the reference.
 */

const headersSchema = z.record(z.string(), z.string());

const multipartPartSchema = z.union([
  z.looseObject({ name: z.string(), filename: z.string(), content_type: z.string(), length: z.number(), sha256: z.string() }),
  z.looseObject({ name: z.string(), value: z.string() }),
]);

export const httpRequestSchema = z.looseObject({
  method: z.string(),
  path: z.string(),
  headers: headersSchema.optional(),
  json: z.unknown().optional(),
  raw_body: z.string().optional(),
  multipart: z.array(multipartPartSchema).optional(),
});

export const binaryBodySchema = z.looseObject({
  length: z.number(),
  content_type: z.string(),
  sha256: z.string(),
  first8_hex: z.string(),
});

export const httpResponseSchema = z.looseObject({
  status: z.number().int(),
  status_text: z.string(),
  headers: headersSchema,
  body_length: z.number(),
  text: z.string().optional(),
  json: z.unknown().optional(),
  binary: binaryBodySchema.optional(),
  saved_to: z.string().optional(),
  sha256: z.string().optional(),
});

const seq = { seq: z.number().int() };

export const httpEventSchema = z.looseObject({
  kind: z.literal('http'),
  ...seq,
  label: z.string().optional(),
  t_sent: z.number(),
  t_done: z.number(),
  request: httpRequestSchema,
  response: httpResponseSchema,
});

export const wsOpenEventSchema = z.looseObject({ kind: z.literal('ws_open'), ...seq, client: z.string(), t: z.number(), url: z.string() });
export const wsSendEventSchema = z.looseObject({ kind: z.literal('ws_send'), ...seq, client: z.string(), t: z.number(), text: z.string() });
export const wsCloseEventSchema = z.looseObject({
  kind: z.literal('ws_close'),
  ...seq,
  client: z.string(),
  t: z.number(),
  code: z.number().int(),
  reason: z.string(),
});
export const noteEventSchema = z.looseObject({ kind: z.literal('note'), ...seq, t: z.number(), text: z.string() });

export const binaryFrameInfoSchema = z.looseObject({
  length: z.number(),
  first8_hex: z.string(),
  event_type: z.number().int(),
  sha256: z.string(),
  decoded: z.record(z.string(), z.unknown()),
});

export const wsRecvTextEventSchema = z.looseObject({ kind: z.literal('ws_recv'), ...seq, client: z.string(), t: z.number(), text: z.string(), json: z.unknown() });
export const wsRecvBinaryEventSchema = z.looseObject({ kind: z.literal('ws_recv'), ...seq, client: z.string(), t: z.number(), binary: binaryFrameInfoSchema });

export const transcriptEventSchema = z.union([
  httpEventSchema,
  wsOpenEventSchema,
  wsSendEventSchema,
  wsCloseEventSchema,
  noteEventSchema,
  wsRecvBinaryEventSchema,
  wsRecvTextEventSchema,
]);

export const transcriptSchema = z.looseObject({
  scenario: z.number().int(),
  name: z.string(),
  title: z.string(),
  description: z.string(),
  server: z.looseObject({
    comfyui_version: z.string().nullable(),
    commit: z.string().nullable().optional(),
    python_version: z.string().nullable(),
    pytorch_version: z.string().nullable(),
    argv: z.array(z.string()),
    base_url: z.string(),
    captured_at: z.string(),
  }),
  client_ids: z.record(z.string(), z.string().nullable()),
  notes: z.array(z.string()),
  summary: z.record(z.string(), z.unknown()),
  events: z.array(transcriptEventSchema),
  server_log: z.string(),
});

export type Transcript = z.infer<typeof transcriptSchema>;
export type TranscriptEvent = z.infer<typeof transcriptEventSchema>;
export type HttpEvent = z.infer<typeof httpEventSchema>;
export type HttpRequestRecord = z.infer<typeof httpRequestSchema>;
export type HttpResponseRecord = z.infer<typeof httpResponseSchema>;
export type WsRecvTextEvent = z.infer<typeof wsRecvTextEventSchema>;
export type WsRecvBinaryEvent = z.infer<typeof wsRecvBinaryEventSchema>;
export type WsRecvEvent = WsRecvTextEvent | WsRecvBinaryEvent;
export type BinaryFrameInfo = z.infer<typeof binaryFrameInfoSchema>;

export function isHttp(e: TranscriptEvent): e is HttpEvent {
  return e.kind === 'http';
}

export function isWsRecv(e: TranscriptEvent): e is WsRecvEvent {
  return e.kind === 'ws_recv';
}

export function isWsText(e: TranscriptEvent): e is WsRecvTextEvent {
  return e.kind === 'ws_recv' && 'text' in e && typeof e.text === 'string';
}

export function isWsBinary(e: TranscriptEvent): e is WsRecvBinaryEvent {
  return e.kind === 'ws_recv' && 'binary' in e && e.binary !== undefined;
}

/** Reads and validates one transcript file. */
export function readTranscript(file: string): Transcript {
  return transcriptSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}
