import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeBinaryFrame } from '../comfy/protocol/binary-frame.js';
import { isCustomMessage, parseServerMessage } from '../comfy/protocol/messages.js';
import { findRoute, schemaForRoute } from '../comfy/protocol/routes.js';
import { isHttp, isWsBinary, isWsText, type BinaryFrameInfo, type Transcript } from './transcript.js';

export interface ClientParseResult {
  ok: boolean;
  checked: { text: number; binary: number; http: number };
  failures: string[];
}

/** Python's `json.dumps` separators, so a rebuilt type-4 header has the recorded byte length. */
function pyJson(value: unknown): string {
  return JSON.stringify(value).replace(/","/g, '", "').replace(/":/g, '": ').replace(/,"/g, ', "');
}

/**
 * Rebuilds a binary frame from what the transcript kept (header, metadata, first 8 image
 * bytes, zero padding to the recorded length): enough for the decoder, which reads the header.
 */
export function rebuildBinaryFrame(b: BinaryFrameInfo): Uint8Array {
  const frame = Buffer.alloc(b.length);
  const d = b.decoded;
  frame.writeUInt32BE(b.event_type, 0);
  if (b.event_type === 4) {
    const meta = Buffer.from(pyJson(d.metadata));
    frame.writeUInt32BE(meta.length, 4);
    meta.copy(frame, 8);
    Buffer.from(String(d.image_first8_hex ?? ''), 'hex').copy(frame, 8 + meta.length);
  } else if (b.event_type === 1 || b.event_type === 2) {
    frame.writeUInt32BE(Number(d.image_format), 4);
    Buffer.from(String(d.image_first8_hex ?? ''), 'hex').copy(frame, 8);
  } else {
    Buffer.from(b.first8_hex, 'hex').copy(frame, 0);
  }
  return frame;
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').slice(0, 200);
}

/**
 * Part (a): every text frame, binary frame and HTTP response body of a recorded transcript
 * goes through the client's parsers (parseServerMessage, decodeBinaryFrame,
 * schemaForRoute(...).parse). `fixturesDir` locates bodies kept in separate files (object_info.json).
 */
export function checkClientParse(t: Transcript, fixturesDir: string): ClientParseResult {
  const failures: string[] = [];
  const checked = { text: 0, binary: 0, http: 0 };
  for (const e of t.events) {
    if (isWsText(e)) {
      checked.text++;
      try {
        const m = parseServerMessage(e.text);
        const type = (e.json as { type?: unknown } | null)?.type;
        if (isCustomMessage(m)) failures.push(`seq ${e.seq}: ${String(type)} parsed as an unknown custom message`);
        else if (m.type !== type) failures.push(`seq ${e.seq}: parsed as ${m.type}, recorded ${String(type)}`);
      } catch (error) {
        failures.push(`seq ${e.seq}: ws message ${e.text.slice(0, 60)}: ${describe(error)}`);
      }
    } else if (isWsBinary(e)) {
      checked.binary++;
      try {
        const frame = decodeBinaryFrame(rebuildBinaryFrame(e.binary));
        const expected = e.binary.event_type === 4 ? 'preview_with_metadata' : e.binary.event_type === 3 ? 'text' : 'preview';
        if (frame.kind !== expected) failures.push(`seq ${e.seq}: binary type ${e.binary.event_type} decoded as ${frame.kind}`);
        const imageLength = e.binary.decoded.image_length;
        if (frame.kind !== 'text' && typeof imageLength === 'number' && frame.bytes.byteLength !== imageLength) {
          failures.push(`seq ${e.seq}: binary image of ${frame.bytes.byteLength} B, recorded ${imageLength} B`);
        }
      } catch (error) {
        failures.push(`seq ${e.seq}: binary frame type ${e.binary.event_type}: ${describe(error)}`);
      }
    } else if (isHttp(e)) {
      const { method, path: route } = e.request;
      const { status } = e.response;
      const label = `seq ${e.seq}: ${method} ${route} ${status}`;
      // The web root serves the frontend's page: not part of the API the client speaks.
      if (route === '/') continue;
      checked.http++;
      if (!findRoute(method, route)) {
        failures.push(`${label}: no route schema`);
        continue;
      }
      const schema = schemaForRoute(method, route, status);
      let body: unknown;
      let hasBody = true;
      if (e.response.json !== undefined) body = e.response.json;
      else if (e.response.saved_to) body = JSON.parse(readFileSync(path.join(fixturesDir, e.response.saved_to), 'utf8')) as unknown;
      else if (e.response.binary) body = new Uint8Array(Buffer.from(e.response.binary.first8_hex, 'hex'));
      else if (status >= 200 && status < 300 && e.response.body_length === 0) body = undefined;
      else hasBody = false; // an error page (4xx empty, 500 text) or a body the recording did not keep
      if (!hasBody) continue;
      if (!schema) {
        if (status >= 200 && status < 300) failures.push(`${label}: no schema for this status`);
        continue;
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) failures.push(`${label}: ${describe(parsed.error)}`);
    }
  }
  return { ok: failures.length === 0, checked, failures };
}
