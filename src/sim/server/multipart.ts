/**
 * A small multipart/form-data reader: enough for ComfyUI's upload routes (one file part plus
 * text fields), and exact about what aiohttp's `request.post()` would give: fields without a
 * filename are strings, parts with one are files.
 */
export interface FilePart {
  kind: 'file';
  filename: string;
  contentType: string;
  data: Buffer;
}

export type FormValue = string | FilePart;

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2])?.trim() : undefined;
}

/** First value per field name wins, as `MultiDict.get` returns. */
export function parseMultipart(body: Buffer, boundary: string): Map<string, FormValue> {
  const fields = new Map<string, FormValue>();
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    let partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    if (body.subarray(partStart, partStart + 2).toString() === '\r\n') partStart += 2;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // The part ends with CRLF before the next delimiter.
    const partEnd = body.subarray(next - 2, next).toString() === '\r\n' ? next - 2 : next;
    const part = body.subarray(partStart, partEnd);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const data = part.subarray(headerEnd + 4);
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = paramOf(disposition, 'name');
      const filename = paramOf(disposition, 'filename');
      const contentType = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
      if (name !== undefined && !fields.has(name)) {
        fields.set(name, filename !== undefined ? { kind: 'file', filename, contentType, data: Buffer.from(data) } : data.toString('utf8'));
      }
    }
    start = next;
  }
  return fields;
}

function paramOf(disposition: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition) ?? new RegExp(`(?:^|;)\\s*${key}=([^;]*)`, 'i').exec(disposition);
  return match?.[1]?.replace(/\\(.)/g, '$1');
}
