/** H.264 settings shared by every file the cut writes, so segments concatenate without re-encoding. */
export function h264Args(rateText: string, crf = 18): string[] {
  return ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', String(crf), '-pix_fmt', 'yuv420p', '-r', rateText];
}

/** scale + pad to the frame keeping the source aspect, square pixels. */
export function fitFilter(width: number, height: number): string {
  return `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1`;
}
