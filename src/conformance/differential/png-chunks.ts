/** A PNG's chunks as the differential suite compares them. */
export interface PngChunks {
  /** Chunk types in file order, consecutive IDATs collapsed (encoders split data differently). */
  types: string[];
  /** tEXt entries, keyword → text (latin-1). */
  text: Record<string, string>;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function pngChunks(bytes: Buffer): PngChunks | undefined {
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(SIGNATURE)) return undefined;
  const types: string[] = [];
  const text: Record<string, string> = {};
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (!(type === 'IDAT' && types.at(-1) === 'IDAT')) types.push(type);
    if (type === 'tEXt') {
      const zero = data.indexOf(0);
      text[data.toString('latin1', 0, zero)] = data.toString('latin1', zero + 1);
    }
    at += 12 + length;
    if (type === 'IEND') break;
  }
  return { types, text };
}

/**
 * The container layout of an encoded preview: JPEG marker segments up to SOS (with their
 * contents for APP0/DQT/SOF, which Pillow's encoder settings decide), or WebP's RIFF chunks.
 */
export function encodedLayout(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const out: string[] = [];
    let at = 2;
    while (at + 4 <= bytes.length && bytes[at] === 0xff) {
      const marker = bytes[at + 1]!;
      if (marker === 0xda) break;
      const length = bytes.readUInt16BE(at + 2);
      const keep = marker === 0xe0 || marker === 0xdb || (marker >= 0xc0 && marker <= 0xc3);
      out.push(`${marker.toString(16)}${keep ? `:${bytes.subarray(at + 4, at + 2 + length).toString('hex')}` : `(${length})`}`);
      at += 2 + length;
    }
    return `jpeg ${out.join(' ')}`;
  }
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
    const out: string[] = [];
    for (let at = 12; at + 8 <= bytes.length; ) {
      const size = bytes.readUInt32LE(at + 4);
      out.push(bytes.toString('latin1', at, at + 4));
      at += 8 + size + (size & 1);
    }
    return `webp ${out.join(' ')}`;
  }
  return `unknown ${bytes.subarray(0, 8).toString('hex')}`;
}
