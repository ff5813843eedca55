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
