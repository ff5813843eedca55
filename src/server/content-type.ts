/** The media type of stored bytes, from their magic numbers (objects are stored without names). */
export function sniffContentType(head: Buffer): string {
  const ascii = (from: number, to: number) => head.subarray(from, to).toString('latin1');
  if (head.length >= 8 && head.readUInt32BE(0) === 0x89504e47) return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'audio/wav';
  if (ascii(4, 8) === 'ftyp') return 'video/mp4';
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return 'video/webm';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(0, 3) === 'ID3' || ascii(0, 4) === 'OggS' || ascii(0, 4) === 'fLaC') return ascii(0, 4) === 'OggS' ? 'audio/ogg' : ascii(0, 4) === 'fLaC' ? 'audio/flac' : 'audio/mpeg';
  return 'application/octet-stream';
}
