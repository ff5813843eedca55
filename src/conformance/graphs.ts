import sharp from 'sharp';

/** The graphs the recording script submitted (API format), shared by several scenarios. */
type Graph = Record<string, { class_type?: string; inputs: Record<string, unknown> }>;

/** Scenario 3's graph: LoadImage → ImageScale → ImageInvert → SaveImage, plus PreviewImage. */
export function imageGraph(width = 128, height = 96): Graph {
  return {
    '1': { class_type: 'LoadImage', inputs: { image: 'rc_test.png' } },
    '2': { class_type: 'ImageScale', inputs: { image: ['1', 0], upscale_method: 'nearest-exact', width, height, crop: 'disabled' } },
    '3': { class_type: 'ImageInvert', inputs: { image: ['2', 0] } },
    '4': { class_type: 'SaveImage', inputs: { images: ['3', 0], filename_prefix: 'fixture/rc' } },
    '5': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } },
  };
}

/** EmptyImage → `blurs` × ImageBlur (ids 10, 11, …) → SaveImage "90": the "slow" graph of 07, 08, 12. */
export function blurGraph(options: { size: number; color: number; blurs: number; radius?: number; prefix?: string }): Graph {
  const graph: Graph = { '1': { class_type: 'EmptyImage', inputs: { width: options.size, height: options.size, batch_size: 1, color: options.color } } };
  let previous = '1';
  for (let i = 0; i < options.blurs; i++) {
    const id = String(10 + i);
    graph[id] = { class_type: 'ImageBlur', inputs: { image: [previous, 0], blur_radius: options.radius ?? 15, sigma: 5 } };
    previous = id;
  }
  graph['90'] = { class_type: 'SaveImage', inputs: { images: [previous, 0], filename_prefix: options.prefix ?? 'slow/rc' } };
  return graph;
}

/** EmptyImage 8×8 → … → ImageBlur radius 31: torch's reflect padding raises (06, 08). */
export const BLUR_31_ERROR = {
  exceptionType: 'RuntimeError',
  message: 'Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (31, 31) at dimension 3 of input 4',
} as const;

export function tinyGraph(color: number, prefix: string): Graph {
  return {
    '1': { class_type: 'EmptyImage', inputs: { width: 16, height: 16, batch_size: 1, color } },
    '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: prefix } },
  };
}

/** SaveImageWebsocket graph of scenario 11. */
export function websocketGraph(color: number): Graph {
  return {
    '1': { class_type: 'EmptyImage', inputs: { width: 32, height: 24, batch_size: 3, color } },
    '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
    '3': { class_type: 'SaveImageWebsocket', inputs: { images: ['2', 0] } },
  };
}

/**
 * The upload PNGs. The recording only kept their sha256 (summary.png_sha256), not how they were
 * drawn, so these are regenerated deterministically: A and B differ (rename on upload), C is tiny.
 */
export async function uploadImages(): Promise<{ A: Buffer; B: Buffer; C: Buffer }> {
  const pattern = (width: number, height: number, salt: number): Buffer => {
    const raw = Buffer.alloc(width * height * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 37 + salt * 101 + ((i * i) % 251)) & 0xff;
    return raw;
  };
  const png = (width: number, height: number, salt: number) =>
    sharp(pattern(width, height, salt), { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer();
  return { A: await png(64, 48, 1), B: await png(64, 48, 2), C: await png(4, 4, 3) };
}
