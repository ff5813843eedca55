/**
 * Work size of a run, bucketed so timings of similar runs share an average: pixels × frames ×
 * batch rounded to the nearest power of two (640×640×81 and 832×480×81 share a bucket, a 10 s
 * clip does not).
 *
 * @example sizeBucket({ width: 640, height: 640, frames: 81 }) // "px2^25"
 */
export function sizeBucket(size: { width?: number; height?: number; frames?: number; batch?: number }): string {
  const work = Math.max(1, (size.width ?? 1) * (size.height ?? 1) * Math.max(1, size.frames ?? 1) * Math.max(1, size.batch ?? 1));
  return `px2^${Math.round(Math.log2(work))}`;
}
