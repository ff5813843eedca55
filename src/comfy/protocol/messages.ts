import { z } from 'zod';
import { ProtocolError } from '../errors/protocol-error.js';
import { featuresSchema } from './routes.js';
import { nodeIdSchema, promptIdSchema, timestampSchema } from './primitives.js';
import { firstIssue } from './zod-issue.js';

/**
 * Schemas of every JSON message ComfyUI sends over the WebSocket (reference §3.4, checked
 * against the 0.3.64 transcripts). Loose objects: newer servers add fields.
 */

export const statusDataSchema = z.looseObject({
  status: z.looseObject({ exec_info: z.looseObject({ queue_remaining: z.number().int() }) }),
  /** Only in the message sent right after connecting. */
  sid: z.string().optional(),
});

export const executionStartDataSchema = z.looseObject({ prompt_id: promptIdSchema, timestamp: timestampSchema.optional() });

export const executionCachedDataSchema = z.looseObject({
  nodes: z.array(nodeIdSchema),
  prompt_id: promptIdSchema,
  timestamp: timestampSchema.optional(),
});

/** `node: null` ends a job; the replay after a reconnect carries neither prompt_id nor display_node. */
export const executingDataSchema = z.looseObject({
  node: nodeIdSchema.nullable(),
  display_node: nodeIdSchema.optional(),
  prompt_id: promptIdSchema.optional(),
});

export const progressDataSchema = z.looseObject({
  value: z.number(),
  max: z.number(),
  // The progress hook falls back to the server's last ids, which can be None early on.
  prompt_id: promptIdSchema.nullable().optional(),
  node: nodeIdSchema.nullable().optional(),
});

export const nodeProgressSchema = z.looseObject({
  value: z.number(),
  max: z.number(),
  state: z.string(),
  node_id: nodeIdSchema,
  prompt_id: promptIdSchema.optional(),
  display_node_id: nodeIdSchema.nullable().optional(),
  parent_node_id: nodeIdSchema.nullable().optional(),
  real_node_id: nodeIdSchema.nullable().optional(),
});

export const progressStateDataSchema = z.looseObject({
  prompt_id: promptIdSchema,
  nodes: z.record(nodeIdSchema, nodeProgressSchema),
});

export const executedDataSchema = z.looseObject({
  node: nodeIdSchema,
  display_node: nodeIdSchema.optional(),
  output: z.record(z.string(), z.unknown()).nullable(),
  prompt_id: promptIdSchema,
});

export const executionSuccessDataSchema = z.looseObject({ prompt_id: promptIdSchema, timestamp: timestampSchema.optional() });

export const executionErrorDataSchema = z.looseObject({
  prompt_id: promptIdSchema,
  node_id: nodeIdSchema,
  node_type: z.string(),
  executed: z.array(nodeIdSchema),
  exception_message: z.string(),
  exception_type: z.string(),
  traceback: z.array(z.string()),
  // `{}` normally, `[]` for dependency cycles and ExecutionBlocked.
  current_inputs: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  current_outputs: z.array(z.unknown()).optional(),
  timestamp: timestampSchema.optional(),
});

export const executionInterruptedDataSchema = z.looseObject({
  prompt_id: promptIdSchema,
  node_id: nodeIdSchema,
  node_type: z.string(),
  executed: z.array(nodeIdSchema),
  timestamp: timestampSchema.optional(),
});

export const logsDataSchema = z.looseObject({
  entries: z.array(z.looseObject({ t: z.string(), m: z.string() })),
  size: z.looseObject({ cols: z.number(), rows: z.number() }).nullable().optional(),
});

export const messageDataSchemas = {
  status: statusDataSchema,
  execution_start: executionStartDataSchema,
  execution_cached: executionCachedDataSchema,
  executing: executingDataSchema,
  progress: progressDataSchema,
  progress_state: progressStateDataSchema,
  executed: executedDataSchema,
  execution_success: executionSuccessDataSchema,
  execution_error: executionErrorDataSchema,
  execution_interrupted: executionInterruptedDataSchema,
  feature_flags: featuresSchema,
  logs: logsDataSchema,
} as const;

export type KnownMessageType = keyof typeof messageDataSchemas;

type MessageOf<T extends KnownMessageType> = { type: T; data: z.infer<(typeof messageDataSchemas)[T]> };

export type StatusMessage = MessageOf<'status'>;
export type ExecutionStartMessage = MessageOf<'execution_start'>;
export type ExecutionCachedMessage = MessageOf<'execution_cached'>;
export type ExecutingMessage = MessageOf<'executing'>;
export type ProgressMessage = MessageOf<'progress'>;
export type ProgressStateMessage = MessageOf<'progress_state'>;
export type ExecutedMessage = MessageOf<'executed'>;
export type ExecutionSuccessMessage = MessageOf<'execution_success'>;
export type ExecutionErrorMessage = MessageOf<'execution_error'>;
export type ExecutionInterruptedMessage = MessageOf<'execution_interrupted'>;
export type FeatureFlagsMessage = MessageOf<'feature_flags'>;
export type LogsMessage = MessageOf<'logs'>;

export type KnownServerMessage = { [T in KnownMessageType]: MessageOf<T> }[KnownMessageType];

/** A message of a type this client does not know (custom nodes send their own), kept as is. */
export interface CustomServerMessage {
  type: string;
  data: unknown;
  custom: true;
}

export type ServerMessage = KnownServerMessage | CustomServerMessage;

export type ExecutionErrorData = ExecutionErrorMessage['data'];
export type ExecutionInterruptedData = ExecutionInterruptedMessage['data'];
export type ProgressStateNodes = ProgressStateMessage['data']['nodes'];

const envelopeSchema = z.object({ type: z.string(), data: z.unknown() });

function isKnownType(type: string): type is KnownMessageType {
  return Object.hasOwn(messageDataSchemas, type);
}

export function isCustomMessage(message: ServerMessage): message is CustomServerMessage {
  return (message as { custom?: unknown }).custom === true;
}

/**
 * Parses one JSON text frame (already `JSON.parse`d, or the raw string) into a typed message.
 * Unknown types come back as `{type, data, custom: true}`; a known type with a malformed body
 * throws a ProtocolError naming the field (e.g. `executing.data.node`).
 */
export function parseServerMessage(json: unknown): ServerMessage {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (cause) {
      throw new ProtocolError('WebSocket message', 'not valid JSON', { cause });
    }
  }
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) {
    const { field, problem } = firstIssue(envelope.error, 'message');
    throw new ProtocolError('WebSocket message', problem, { field });
  }
  const { type, data } = envelope.data;
  if (!isKnownType(type)) return { type, data, custom: true };
  const parsed = messageDataSchemas[type].safeParse(data);
  if (!parsed.success) {
    const { field, problem } = firstIssue(parsed.error, `${type}.data`);
    throw new ProtocolError(`"${type}" message`, problem, { field });
  }
  return { type, data: parsed.data } as KnownServerMessage;
}

/** The prompt a message belongs to, when it says (status, feature_flags, logs and the replay do not). */
export function promptIdOf(message: ServerMessage): string | undefined {
  if (isCustomMessage(message)) {
    const data = message.data as { prompt_id?: unknown } | null;
    return typeof data === 'object' && data !== null && typeof data.prompt_id === 'string' ? data.prompt_id : undefined;
  }
  const data = message.data as { prompt_id?: unknown };
  return typeof data.prompt_id === 'string' ? data.prompt_id : undefined;
}
