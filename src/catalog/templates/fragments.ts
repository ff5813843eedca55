import type { GraphBuilder } from '../graph/graph-builder.js';
import type { SocketLink } from '../graph/socket-link.js';

/** Graph pieces every family repeats: the save tails and the text-encode pair. */

/** `IMAGE → CreateVideo → SaveVideo` (the core video path; `auto/auto` works on every server version). */
export function saveVideo(
  g: GraphBuilder,
  images: SocketLink<'IMAGE'>,
  options: { fps: number | SocketLink<'FLOAT'>; prefix: string; codec?: 'auto' | 'h264' },
): void {
  const video = g.node('CreateVideo', { images, fps: options.fps }, { title: 'Create Video' });
  g.node('SaveVideo', { video: video.out(0), filename_prefix: options.prefix, format: 'auto', codec: options.codec ?? 'auto' }, { title: 'Save Video' });
}

export function saveImage(g: GraphBuilder, images: SocketLink<'IMAGE'>, prefix: string): void {
  g.node('SaveImage', { images, filename_prefix: prefix }, { title: 'Save Image' });
}

/** Positive and negative CLIPTextEncode on one CLIP. */
export function encodePair(g: GraphBuilder, clip: SocketLink<'CLIP'>, positive: string, negative: string) {
  const pos = g.node('CLIPTextEncode', { clip, text: positive }, { title: 'Positive Prompt' });
  const neg = g.node('CLIPTextEncode', { clip, text: negative }, { title: 'Negative Prompt' });
  return { positive: pos.out(0), negative: neg.out(0) };
}
