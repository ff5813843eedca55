import type { ApiGraph, ApiNode } from '../../comfy/graph.js';

export type DifferentialKind = 'valid' | 'invalid' | 'runtime-error' | 'cached' | 'interrupted' | 'partial';

/**
 * One graph of the differential suite. Both servers get the same inputs and requests; the
 * comparison covers the HTTP answer, the socket messages, the history entry and, for `valid`
 * graphs, every saved image's size and pixels within `tolerance`.
 */
export interface DifferentialCase {
  id: string;
  /** The nodes the graph exercises, as printed in the table. */
  nodes: string;
  kind: DifferentialKind;
  graph: ApiGraph;
  /**
   * Largest allowed |real − emulator| per channel on the saved 8-bit pixels. 0 where the
   * arithmetic is exact; 1 where float32 rounding order can move a value across an integer
   * before SaveImage's truncation.
   */
  tolerance?: number;
  /** `partial_execution_targets` of the request. */
  partialTargets?: string[];
  /** `cached`: run first, then `graph` is the run compared (its cached nodes must agree). */
  warmup?: ApiGraph;
  /** `interrupted`: POST /interrupt once this node starts executing. */
  interruptAt?: string;
}

type Inputs = ApiNode['inputs'];
const node = (class_type: string, inputs: Inputs): ApiNode => ({ class_type, inputs });
const load = (image: string): ApiNode => node('LoadImage', { image });
const save = (from: [string, number], prefix: string): ApiNode => node('SaveImage', { images: from, filename_prefix: `diff/${prefix}` });

/** LoadImage(diff-gradient) → `op` → SaveImage. */
function onGradient(id: string, classType: string, inputs: Inputs, imageInput = 'image'): ApiGraph {
  return { '1': load('diff-gradient.png'), '2': node(classType, { [imageInput]: ['1', 0], ...inputs }), '9': save(['2', 0], id) };
}

function scaleCase(method: string, tolerance: number, width = 100, height = 70, crop = 'disabled', id = `scale-${method}`): DifferentialCase {
  return { id, nodes: `ImageScale ${method}${crop === 'center' ? ' crop=center' : ''}`, kind: 'valid', tolerance, graph: onGradient(id, 'ImageScale', { upscale_method: method, width, height, crop }) };
}

/** A mask chain shown as an image: SolidMask/LoadImage mask → ops → MaskToImage → SaveImage. */
function maskGraph(id: string, chain: Record<string, ApiNode>, last: string): ApiGraph {
  return { ...chain, '8': node('MaskToImage', { mask: [last, 0] }), '9': save(['8', 0], id) };
}

export const DIFFERENTIAL_CASES: readonly DifferentialCase[] = [
  { id: 'load-save', nodes: 'LoadImage, SaveImage', kind: 'valid', tolerance: 0, graph: { '1': load('diff-gradient.png'), '9': save(['1', 0], 'load-save') } },
  {
    id: 'load-alpha-mask',
    nodes: 'LoadImage (RGBA) MASK, MaskToImage',
    kind: 'valid',
    tolerance: 0,
    graph: { '1': load('diff-alpha.png'), '2': node('MaskToImage', { mask: ['1', 1] }), '9': save(['2', 0], 'load-alpha-mask') },
  },
  {
    id: 'load-no-alpha-mask',
    nodes: 'LoadImage (RGB) 64×64 zero MASK',
    kind: 'valid',
    tolerance: 0,
    graph: { '1': load('diff-small.png'), '2': node('MaskToImage', { mask: ['1', 1] }), '9': save(['2', 0], 'load-no-alpha-mask') },
  },
  {
    id: 'load-exif-rotated',
    nodes: 'LoadImage of a JPEG with EXIF orientation 6',
    kind: 'valid',
    tolerance: 1,
    graph: { '1': load('diff-rotated.jpg'), '9': save(['1', 0], 'load-exif-rotated') },
  },
  {
    id: 'load-image-mask',
    nodes: 'LoadImageMask alpha and green',
    kind: 'valid',
    tolerance: 0,
    graph: {
      '1': node('LoadImageMask', { image: 'diff-alpha.png', channel: 'alpha' }),
      '2': node('LoadImageMask', { image: 'diff-alpha.png', channel: 'green' }),
      '3': node('MaskComposite', { destination: ['1', 0], source: ['2', 0], x: 0, y: 0, operation: 'multiply' }),
      '8': node('MaskToImage', { mask: ['3', 0] }),
      '9': save(['8', 0], 'load-image-mask'),
    },
  },
  {
    id: 'empty-image',
    nodes: 'EmptyImage batch 2',
    kind: 'valid',
    tolerance: 0,
    graph: { '1': node('EmptyImage', { width: 40, height: 24, batch_size: 2, color: 0x3366cc }), '9': save(['1', 0], 'empty-image') },
  },
  { id: 'invert', nodes: 'ImageInvert', kind: 'valid', tolerance: 0, graph: onGradient('invert', 'ImageInvert', {}) },
  scaleCase('nearest-exact', 0),
  scaleCase('bilinear', 1),
  scaleCase('area', 1, 40, 30),
  scaleCase('bicubic', 1),
  scaleCase('lanczos', 1),
  scaleCase('bilinear', 1, 30, 30, 'center', 'scale-bilinear-center'),
  scaleCase('area', 1, 0, 20, 'disabled', 'scale-area-keep-aspect'),
  { id: 'scale-by-bicubic', nodes: 'ImageScaleBy bicubic 0.5', kind: 'valid', tolerance: 1, graph: onGradient('scale-by-bicubic', 'ImageScaleBy', { upscale_method: 'bicubic', scale_by: 0.5 }) },
  { id: 'scale-by-lanczos', nodes: 'ImageScaleBy lanczos 1.7', kind: 'valid', tolerance: 1, graph: onGradient('scale-by-lanczos', 'ImageScaleBy', { upscale_method: 'lanczos', scale_by: 1.7 }) },
  { id: 'scale-total-pixels', nodes: 'ImageScaleToTotalPixels bilinear 0.01 MP', kind: 'valid', tolerance: 1, graph: onGradient('scale-total-pixels', 'ImageScaleToTotalPixels', { upscale_method: 'bilinear', megapixels: 0.01 }) },
  { id: 'scale-max-dimension', nodes: 'ImageScaleToMaxDimension area 50', kind: 'valid', tolerance: 1, graph: onGradient('scale-max-dimension', 'ImageScaleToMaxDimension', { upscale_method: 'area', largest_size: 50 }) },
  {
    id: 'rotate-flip',
    nodes: 'ImageRotate 90/270, ImageFlip x/y',
    kind: 'valid',
    tolerance: 0,
    graph: {
      '1': load('diff-small.png'),
      '2': node('ImageRotate', { image: ['1', 0], rotation: '90 degrees' }),
      '3': node('ImageFlip', { image: ['2', 0], flip_method: 'y-axis: horizontally' }),
      '4': node('ImageRotate', { image: ['1', 0], rotation: '270 degrees' }),
      '5': node('ImageFlip', { image: ['4', 0], flip_method: 'x-axis: vertically' }),
      '6': node('ImageBatch', { image1: ['3', 0], image2: ['5', 0] }),
      '9': save(['6', 0], 'rotate-flip'),
    },
  },
  { id: 'resize-and-pad', nodes: 'ResizeAndPadImage bicubic, white', kind: 'valid', tolerance: 1, graph: onGradient('resize-and-pad', 'ResizeAndPadImage', { target_width: 50, target_height: 50, padding_color: 'white', interpolation: 'bicubic' }) },
  {
    id: 'alpha-join-split',
    nodes: 'SplitImageWithAlpha, JoinImageWithAlpha (RGBA PNG)',
    kind: 'valid',
    tolerance: 1,
    graph: {
      '1': load('diff-gradient.png'),
      '2': load('diff-alpha.png'),
      '3': node('SplitImageWithAlpha', { image: ['1', 0] }),
      '4': node('JoinImageWithAlpha', { image: ['3', 0], alpha: ['2', 1] }),
      '9': save(['4', 0], 'alpha-join-split'),
    },
  },
  {
    id: 'stitch',
    nodes: 'ImageStitch right (lanczos match) and down (padded, red spacer)',
    kind: 'valid',
    tolerance: 1,
    graph: {
      '1': load('diff-gradient.png'),
      '2': load('diff-small.png'),
      '3': node('ImageStitch', { image1: ['1', 0], image2: ['2', 0], direction: 'right', match_image_size: true, spacing_width: 0, spacing_color: 'white' }),
      '4': node('ImageStitch', { image1: ['3', 0], image2: ['2', 0], direction: 'down', match_image_size: false, spacing_width: 3, spacing_color: 'red' }),
      '9': save(['4', 0], 'stitch'),
    },
  },
  {
    id: 'porter-duff',
    nodes: 'PorterDuffImageComposite SRC_OVER and OVERLAY (source resized)',
    kind: 'valid',
    tolerance: 1,
    graph: {
      '1': load('diff-gradient.png'),
      '2': load('diff-alpha.png'),
      '3': node('SolidMask', { value: 0.25, width: 64, height: 48 }),
      '4': node('PorterDuffImageComposite', { source: ['2', 0], source_alpha: ['2', 1], destination: ['1', 0], destination_alpha: ['3', 0], mode: 'SRC_OVER' }),
      '5': node('PorterDuffImageComposite', { source: ['1', 0], source_alpha: ['3', 0], destination: ['4', 0], destination_alpha: ['4', 1], mode: 'OVERLAY' }),
      '6': node('MaskToImage', { mask: ['5', 1] }),
      '8': save(['5', 0], 'porter-duff-image'),
      '9': save(['6', 0], 'porter-duff-mask'),
    },
  },
  { id: 'blur', nodes: 'ImageBlur r=2 σ=1.5', kind: 'valid', tolerance: 1, graph: onGradient('blur', 'ImageBlur', { blur_radius: 2, sigma: 1.5 }) },
  { id: 'sharpen', nodes: 'ImageSharpen r=1 σ=1 α=0.5', kind: 'valid', tolerance: 1, graph: onGradient('sharpen', 'ImageSharpen', { sharpen_radius: 1, sigma: 1, alpha: 0.5 }) },
  {
    id: 'blend-normal-resized',
    nodes: 'ImageBlend normal (image2 bicubic centre-cropped)',
    kind: 'valid',
    tolerance: 1,
    graph: { '1': load('diff-gradient.png'), '2': load('diff-small.png'), '3': node('ImageBlend', { image1: ['1', 0], image2: ['2', 0], blend_factor: 0.3, blend_mode: 'normal' }), '9': save(['3', 0], 'blend-normal-resized') },
  },
  ...(['multiply', 'screen', 'overlay', 'soft_light', 'difference'] as const).map(
    (mode): DifferentialCase => ({
      id: `blend-${mode}`,
      nodes: `ImageBlend ${mode}`,
      kind: 'valid',
      tolerance: 1,
      graph: {
        '1': load('diff-gradient.png'),
        '2': node('ImageBlur', { image: ['1', 0], blur_radius: 3, sigma: 2 }),
        '3': node('ImageBlend', { image1: ['1', 0], image2: ['2', 0], blend_factor: 0.7, blend_mode: mode }),
        '9': save(['3', 0], `blend-${mode}`),
      },
    }),
  ),
  {
    id: 'composite',
    nodes: 'ImageCompositeMasked, no mask',
    kind: 'valid',
    tolerance: 0,
    graph: { '1': load('diff-gradient.png'), '2': load('diff-small.png'), '3': node('ImageCompositeMasked', { destination: ['1', 0], source: ['2', 0], x: 50, y: 5, resize_source: false }), '9': save(['3', 0], 'composite') },
  },
  {
    id: 'composite-mask',
    nodes: 'ImageCompositeMasked, LoadImage mask (bilinear-resized)',
    kind: 'valid',
    tolerance: 1,
    graph: {
      '1': load('diff-gradient.png'),
      '2': load('diff-small.png'),
      '3': load('diff-alpha.png'),
      '4': node('ImageCompositeMasked', { destination: ['1', 0], source: ['2', 0], x: 10, y: 20, resize_source: false, mask: ['3', 1] }),
      '9': save(['4', 0], 'composite-mask'),
    },
  },
  {
    id: 'composite-resize',
    nodes: 'ImageCompositeMasked resize_source',
    kind: 'valid',
    tolerance: 1,
    graph: { '1': load('diff-gradient.png'), '2': load('diff-alpha.png'), '3': node('ImageCompositeMasked', { destination: ['1', 0], source: ['2', 0], x: 0, y: 0, resize_source: true }), '9': save(['3', 0], 'composite-resize') },
  },
  { id: 'crop', nodes: 'ImageCrop', kind: 'valid', tolerance: 0, graph: onGradient('crop', 'ImageCrop', { width: 30, height: 20, x: 10, y: 8 }) },
  { id: 'crop-edge', nodes: 'ImageCrop past the edge', kind: 'valid', tolerance: 0, graph: onGradient('crop-edge', 'ImageCrop', { width: 40, height: 40, x: 50, y: 100 }) },
  {
    id: 'pad-outpaint',
    nodes: 'ImagePadForOutpaint (image and feathered mask)',
    kind: 'valid',
    tolerance: 1,
    graph: {
      '1': load('diff-small.png'),
      '2': node('ImagePadForOutpaint', { image: ['1', 0], left: 8, top: 0, right: 16, bottom: 8, feathering: 6 }),
      '3': node('MaskToImage', { mask: ['2', 1] }),
      '8': save(['2', 0], 'pad-outpaint-image'),
      '9': save(['3', 0], 'pad-outpaint-mask'),
    },
  },
  {
    id: 'batch',
    nodes: 'ImageBatch same size',
    kind: 'valid',
    tolerance: 0,
    graph: { '1': load('diff-gradient.png'), '2': node('ImageInvert', { image: ['1', 0] }), '3': node('ImageBatch', { image1: ['1', 0], image2: ['2', 0] }), '9': save(['3', 0], 'batch') },
  },
  {
    id: 'batch-resized',
    nodes: 'ImageBatch (image2 bilinear centre-cropped)',
    kind: 'valid',
    tolerance: 1,
    graph: { '1': load('diff-gradient.png'), '2': load('diff-small.png'), '3': node('ImageBatch', { image1: ['1', 0], image2: ['2', 0] }), '9': save(['3', 0], 'batch-resized') },
  },
  {
    id: 'repeat-from-batch',
    nodes: 'RepeatImageBatch, ImageFromBatch',
    kind: 'valid',
    tolerance: 0,
    graph: {
      '1': load('diff-gradient.png'),
      '2': node('ImageInvert', { image: ['1', 0] }),
      '3': node('ImageBatch', { image1: ['1', 0], image2: ['2', 0] }),
      '4': node('RepeatImageBatch', { image: ['3', 0], amount: 3 }),
      '5': node('ImageFromBatch', { image: ['4', 0], batch_index: 3, length: 2 }),
      '9': save(['5', 0], 'repeat-from-batch'),
    },
  },
  {
    id: 'image-to-mask',
    nodes: 'ImageToMask green, MaskToImage',
    kind: 'valid',
    tolerance: 0,
    graph: maskGraph('image-to-mask', { '1': load('diff-gradient.png'), '2': node('ImageToMask', { image: ['1', 0], channel: 'green' }) }, '2'),
  },
  {
    id: 'solid-mask',
    nodes: 'SolidMask 0.25, InvertMask',
    kind: 'valid',
    tolerance: 0,
    graph: maskGraph('solid-mask', { '1': node('SolidMask', { value: 0.25, width: 32, height: 16 }), '2': node('InvertMask', { mask: ['1', 0] }) }, '2'),
  },
  {
    id: 'mask-composite',
    nodes: 'MaskComposite add/xor, CropMask',
    kind: 'valid',
    tolerance: 0,
    graph: maskGraph(
      'mask-composite',
      {
        '1': load('diff-alpha.png'),
        '2': node('SolidMask', { value: 0.4, width: 20, height: 12 }),
        '3': node('MaskComposite', { destination: ['1', 1], source: ['2', 0], x: 5, y: 30, operation: 'add' }),
        '4': node('MaskComposite', { destination: ['3', 0], source: ['1', 1], x: 20, y: 0, operation: 'xor' }),
        '5': node('CropMask', { mask: ['4', 0], x: 2, y: 3, width: 30, height: 50 }),
      },
      '5',
    ),
  },
  {
    id: 'mask-grow-feather',
    nodes: 'ThresholdMask, GrowMask, FeatherMask',
    kind: 'valid',
    tolerance: 0,
    graph: maskGraph(
      'mask-grow-feather',
      {
        '1': load('diff-alpha.png'),
        '2': node('ThresholdMask', { mask: ['1', 1], value: 0.5 }),
        '3': node('GrowMask', { mask: ['2', 0], expand: -2, tapered_corners: true }),
        '4': node('FeatherMask', { mask: ['3', 0], left: 4, top: 0, right: 3, bottom: 5 }),
      },
      '4',
    ),
  },
  {
    id: 'color-to-mask',
    nodes: 'ImageColorToMask',
    kind: 'valid',
    tolerance: 0,
    graph: maskGraph('color-to-mask', { '1': load('diff-alpha.png'), '2': node('ImageColorToMask', { image: ['1', 0], color: 0xc80000 }) }, '2'),
  },
  {
    id: 'preview',
    nodes: 'PreviewImage (temp)',
    kind: 'valid',
    tolerance: 0,
    graph: { '1': load('diff-small.png'), '2': node('ImageInvert', { image: ['1', 0] }), '9': node('PreviewImage', { images: ['2', 0] }) },
  },
  {
    id: 'cached-rerun',
    nodes: 'cache: identical prompt again',
    kind: 'cached',
    tolerance: 0,
    warmup: onGradient('cached-rerun', 'ImageInvert', {}),
    graph: onGradient('cached-rerun', 'ImageInvert', {}),
  },
  {
    id: 'cached-upstream',
    nodes: 'cache: only the last op changed',
    kind: 'cached',
    tolerance: 1,
    warmup: { '1': load('diff-gradient.png'), '2': node('ImageInvert', { image: ['1', 0] }), '3': node('ImageBlur', { image: ['2', 0], blur_radius: 1, sigma: 1 }), '9': save(['3', 0], 'cached-upstream') },
    graph: { '1': load('diff-gradient.png'), '2': node('ImageInvert', { image: ['1', 0] }), '3': node('ImageBlur', { image: ['2', 0], blur_radius: 1, sigma: 2 }), '9': save(['3', 0], 'cached-upstream') },
  },
  {
    id: 'timing-512',
    nodes: 'cpu timing: 512² ImageBlur r=8, ImageScale bicubic 768, ImageInvert',
    kind: 'valid',
    tolerance: 1,
    graph: {
      '1': node('EmptyImage', { width: 512, height: 512, batch_size: 1, color: 0x336699 }),
      '2': node('ImageBlur', { image: ['1', 0], blur_radius: 8, sigma: 3 }),
      '3': node('ImageScale', { image: ['2', 0], upscale_method: 'bicubic', width: 768, height: 768, crop: 'disabled' }),
      '4': node('ImageInvert', { image: ['3', 0] }),
      '9': save(['4', 0], 'timing-512'),
    },
  },
  {
    id: 'interrupted',
    nodes: 'interrupt during a 256² blur chain (r=16)',
    kind: 'interrupted',
    interruptAt: '3',
    graph: {
      '1': node('EmptyImage', { width: 256, height: 256, batch_size: 1, color: 0x808080 }),
      '2': node('ImageInvert', { image: ['1', 0] }),
      '3': node('ImageBlur', { image: ['2', 0], blur_radius: 16, sigma: 10 }),
      '4': node('ImageBlur', { image: ['3', 0], blur_radius: 16, sigma: 10 }),
      '9': save(['4', 0], 'interrupted'),
    },
  },
  {
    id: 'partial-target',
    nodes: 'partial_execution_targets: one of two outputs',
    kind: 'partial',
    tolerance: 0,
    partialTargets: ['9'],
    graph: { '1': load('diff-gradient.png'), '2': node('ImageInvert', { image: ['1', 0] }), '8': save(['1', 0], 'partial-a'), '9': save(['2', 0], 'partial-b') },
  },
  {
    id: 'partial-target-missing',
    nodes: 'partial_execution_targets naming no node',
    kind: 'partial',
    partialTargets: ['77'],
    graph: { '1': load('diff-gradient.png'), '9': save(['1', 0], 'partial-missing') },
  },
  { id: 'invalid-missing-input', nodes: 'ImageInvert without image', kind: 'invalid', graph: { '2': node('ImageInvert', {}), '9': save(['2', 0], 'x') } },
  { id: 'invalid-combo', nodes: 'ImageScale upscale_method not in list', kind: 'invalid', graph: onGradient('x', 'ImageScale', { upscale_method: 'sideways', width: 8, height: 8, crop: 'disabled' }) },
  { id: 'invalid-range', nodes: 'ImageBlur blur_radius 40 > max 31', kind: 'invalid', graph: onGradient('x', 'ImageBlur', { blur_radius: 40, sigma: 1 }) },
  { id: 'invalid-file', nodes: 'LoadImage of a missing file', kind: 'invalid', graph: { '1': load('no-such-file.png'), '9': save(['1', 0], 'x') } },
  { id: 'invalid-no-outputs', nodes: 'graph without output nodes', kind: 'invalid', graph: { '1': load('diff-gradient.png'), '2': node('ImageInvert', { image: ['1', 0] }) } },
  { id: 'invalid-link-type', nodes: 'MaskToImage fed an IMAGE', kind: 'invalid', graph: { '1': load('diff-gradient.png'), '2': node('MaskToImage', { mask: ['1', 0] }), '9': save(['2', 0], 'x') } },
  { id: 'error-alpha-channel', nodes: 'ImageToMask alpha of an RGB image', kind: 'runtime-error', graph: maskGraph('x', { '1': load('diff-gradient.png'), '2': node('ImageToMask', { image: ['1', 0], channel: 'alpha' }) }, '2') },
  {
    id: 'error-blur-too-wide',
    nodes: 'ImageBlur radius ≥ image size',
    kind: 'runtime-error',
    graph: { '1': node('EmptyImage', { width: 8, height: 16, batch_size: 1, color: 0 }), '2': node('ImageBlur', { image: ['1', 0], blur_radius: 10, sigma: 1 }), '9': save(['2', 0], 'x') },
  },
];
