/**
 * The bytes of an HTTP response whose body is sent chunked in two chunks (with a chunk extension
 * and a trailer), after `head` (status line(s) and headers, ending in a blank line), cut into
 * pieces at awkward places: across the status line, the chunk sizes and the trailer.
 */
export function chunkedResponsePieces(head: string, body: Buffer): Buffer[] {
  const wire = Buffer.concat([
    Buffer.from(head),
    Buffer.from('2710;ext=1\r\n'),
    body.subarray(0, 10_000),
    Buffer.from(`\r\n${(body.length - 10_000).toString(16)}\r\n`),
    body.subarray(10_000),
    Buffer.from('\r\n0\r\nX-Trailer: y\r\n\r\n'),
  ]);
  const cuts = [5, 40, 75, 10_020, 10_030, 50_000, wire.length - 3];
  return cuts.map((c, i) => wire.subarray(i === 0 ? 0 : cuts[i - 1], c)).concat([wire.subarray(cuts.at(-1))]);
}
