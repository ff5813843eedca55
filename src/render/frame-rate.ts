/** A frame rate as ffmpeg wants it: exact integers, so NTSC rates do not drift. */
export interface FrameRate {
  num: number;
  den: number;
  /** `24`, `30000/1001`: for `fps=`, `-r` and `color=r=`. */
  text: string;
}

/** 23.976 → 24000/1001, 29.97 → 30000/1001, 24 → 24/1, anything else → a millis fraction. */
export function frameRate(fps: number): FrameRate {
  const rounded = Math.round(fps);
  if (Math.abs(fps - rounded) < 1e-6) return { num: rounded, den: 1, text: String(rounded) };
  const ntsc = Math.round((fps * 1001) / 1000);
  if (Math.abs((ntsc * 1000) / 1001 - fps) < 0.005) return { num: ntsc * 1000, den: 1001, text: `${ntsc * 1000}/1001` };
  const num = Math.round(fps * 1000);
  return { num, den: 1000, text: `${num}/1000` };
}

/** Seconds of `frames` frames, as a decimal ffmpeg parses exactly enough (µs precision). */
export function framesToSeconds(frames: number, rate: FrameRate): number {
  return (frames * rate.den) / rate.num;
}

export function secondsText(seconds: number): string {
  return seconds.toFixed(6);
}
