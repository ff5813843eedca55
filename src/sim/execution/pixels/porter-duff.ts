/**
 * porter_duff_composite of comfy_extras/nodes_compositing.py for one pixel channel: alphas come
 * in as ComfyUI masks (1 − alpha), images are premultiplied, the result is un-premultiplied and
 * clamped, and the alpha goes back out as a mask.
 */
export type PorterDuffMode =
  | 'ADD' | 'CLEAR' | 'DARKEN' | 'DST' | 'DST_ATOP' | 'DST_IN' | 'DST_OUT' | 'DST_OVER' | 'LIGHTEN'
  | 'MULTIPLY' | 'OVERLAY' | 'SCREEN' | 'SRC' | 'SRC_ATOP' | 'SRC_IN' | 'SRC_OUT' | 'SRC_OVER' | 'XOR';

/** [image, alpha] of the mode for premultiplied `s`, `d` with alphas `sa`, `da`. */
function premultiplied(s: number, sa: number, d: number, da: number, mode: PorterDuffMode): [number, number] {
  switch (mode) {
    case 'ADD':
      return [Math.min(1, Math.max(0, s + d)), Math.min(1, Math.max(0, sa + da))];
    case 'CLEAR':
      return [0, 0];
    case 'DARKEN':
      return [(1 - da) * s + (1 - sa) * d + Math.min(s, d), sa + da - sa * da];
    case 'DST':
      return [d, da];
    case 'DST_ATOP':
      return [sa * d + (1 - da) * s, sa];
    case 'DST_IN':
      return [d * sa, sa * da];
    case 'DST_OUT':
      return [(1 - sa) * d, (1 - sa) * da];
    case 'DST_OVER':
      return [d + (1 - da) * s, da + (1 - da) * sa];
    case 'LIGHTEN':
      return [(1 - da) * s + (1 - sa) * d + Math.max(s, d), sa + da - sa * da];
    case 'MULTIPLY':
      return [s * d, sa * da];
    case 'OVERLAY':
      return [2 * d < da ? 2 * s * d : sa * da - 2 * (da - s) * (sa - d), sa + da - sa * da];
    case 'SCREEN':
      return [s + d - s * d, sa + da - sa * da];
    case 'SRC':
      return [s, sa];
    case 'SRC_ATOP':
      return [da * s + (1 - sa) * d, da];
    case 'SRC_IN':
      return [s * da, sa * da];
    case 'SRC_OUT':
      return [(1 - da) * s, (1 - da) * sa];
    case 'SRC_OVER':
      return [s + (1 - sa) * d, sa + (1 - sa) * da];
    case 'XOR':
      return [(1 - da) * s + (1 - sa) * d, (1 - da) * sa + (1 - sa) * da];
  }
}

/** One channel value and the output mask value, from source/destination values and masks. */
export function porterDuff(src: number, srcMask: number, dst: number, dstMask: number, mode: PorterDuffMode): [number, number] {
  const sa = 1 - srcMask;
  const da = 1 - dstMask;
  const [image, alpha] = premultiplied(src * sa, sa, dst * da, da, mode);
  const straight = alpha > 1e-5 ? image / alpha : 0;
  return [Math.min(1, Math.max(0, straight)), 1 - alpha];
}
