import { z } from 'zod';
import { ProtocolError } from '../errors/protocol-error.js';
import { firstIssue } from './zod-issue.js';

/**
 * Binary WebSocket frames (reference §3.5): a 4-byte big-endian event type, then a payload.
 * 1 = preview image (4-byte format: 1 JPEG, 2 PNG), 3 = text for a node, 4 = preview image
 * with a JSON metadata header (clients that declared `supports_preview_metadata`).
 */

export const previewMetadataSchema = z.looseObject({
  node_id: z.string(),
  prompt_id: z.string(),
  display_node_id: z.string().nullable().optional(),
  parent_node_id: z.string().nullable().optional(),
  real_node_id: z.string().nullable().optional(),
  image_type: z.string(),
});

export type PreviewMetadata = z.infer<typeof previewMetadataSchema>;

export type BinaryFrame =
  | { kind: 'preview'; format: 'jpeg' | 'png'; bytes: Uint8Array }
  | { kind: 'preview_with_metadata'; metadata: PreviewMetadata; bytes: Uint8Array }
  | { kind: 'text'; nodeId: string; text: string }
  | { kind: 'unknown'; eventType: number; bytes: Uint8Array };

export const BinaryEventType = { previewImage: 1, unencodedPreviewImage: 2, text: 3, previewImageWithMetadata: 4 } as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes one binary frame; unknown event types are returned as `{kind: 'unknown'}`. */
export function decodeBinaryFrame(frame: Uint8Array | ArrayBuffer): BinaryFrame {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  need(bytes, 4, 'event type');
  const eventType = view.getUint32(0);
  switch (eventType) {
    case BinaryEventType.previewImage: {
      need(bytes, 8, 'image format');
      const format = view.getUint32(4);
      if (format !== 1 && format !== 2) throw new ProtocolError('binary preview frame', `unknown image format ${format} (1 = JPEG, 2 = PNG)`, { field: 'format' });
      return { kind: 'preview', format: format === 1 ? 'jpeg' : 'png', bytes: bytes.subarray(8) };
    }
    case BinaryEventType.previewImageWithMetadata: {
      need(bytes, 8, 'metadata length');
      const length = view.getUint32(4);
      need(bytes, 8 + length, 'metadata');
      const metadata = parseJson(bytes.subarray(8, 8 + length));
      const parsed = previewMetadataSchema.safeParse(metadata);
      if (!parsed.success) {
        const { field, problem } = firstIssue(parsed.error, 'metadata');
        throw new ProtocolError('binary preview frame', problem, { field });
      }
      return { kind: 'preview_with_metadata', metadata: parsed.data, bytes: bytes.subarray(8 + length) };
    }
    case BinaryEventType.text: {
      need(bytes, 8, 'node id length');
      const length = view.getUint32(4);
      need(bytes, 8 + length, 'node id');
      return { kind: 'text', nodeId: decode(bytes.subarray(8, 8 + length), 'nodeId'), text: decode(bytes.subarray(8 + length), 'text') };
    }
    default:
      return { kind: 'unknown', eventType, bytes: bytes.subarray(4) };
  }
}

/** The inverse of decodeBinaryFrame, for stand-in servers and tests. */
export function encodeBinaryFrame(frame: BinaryFrame): Uint8Array {
  const header = (type: number, second: number) => {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(type, 0);
    h.writeUInt32BE(second, 4);
    return h;
  };
  switch (frame.kind) {
    case 'preview':
      return Buffer.concat([header(1, frame.format === 'jpeg' ? 1 : 2), frame.bytes]);
    case 'preview_with_metadata': {
      const meta = Buffer.from(JSON.stringify(frame.metadata));
      return Buffer.concat([header(4, meta.length), meta, frame.bytes]);
    }
    case 'text': {
      const id = Buffer.from(frame.nodeId);
      return Buffer.concat([header(3, id.length), id, Buffer.from(frame.text)]);
    }
    case 'unknown': {
      const h = Buffer.alloc(4);
      h.writeUInt32BE(frame.eventType, 0);
      return Buffer.concat([h, frame.bytes]);
    }
  }
}

function need(bytes: Uint8Array, length: number, field: string): void {
  if (bytes.byteLength < length) {
    throw new ProtocolError('binary frame', `truncated: ${bytes.byteLength} bytes, ${field} needs ${length}`, { field });
  }
}

function decode(bytes: Uint8Array, field: string): string {
  try {
    return utf8.decode(bytes);
  } catch (cause) {
    throw new ProtocolError('binary text frame', 'not valid UTF-8', { field, cause });
  }
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(decode(bytes, 'metadata'));
  } catch (cause) {
    if (cause instanceof ProtocolError) throw cause;
    throw new ProtocolError('binary preview frame', 'metadata is not valid JSON', { field: 'metadata', cause });
  }
}
