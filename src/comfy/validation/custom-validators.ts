import { pyStr, pyTypeName } from '../python-repr.js';
import { PyException, type PyFrame } from './python-exception.js';
import { FRAMES, validateFileFrame } from './source-frames.js';

/**
 * Core nodes of ComfyUI 0.3.64 that define `VALIDATE_INPUTS` (V1) or `validate_inputs` (V3).
 * Their argument names decide which inputs skip the generic min/max and combo checks (the node
 * checks them itself), and the function's return decides `custom_validation_failed`.
 * Paid API nodes are left out: the recorded server runs with --disable-api-nodes.
 */
export interface CustomValidator {
  /** Parameter names of the validate function; these inputs skip min/max/combo checks. */
  args: string[];
  /** Takes `**kwargs` (every input is passed and none is range-checked). */
  hasKwargs?: boolean;
  /** The class sets INPUT_IS_LIST: the function gets every input as a list. */
  inputIsList?: boolean;
  /** `__qualname__` of the function, for Python's "missing argument" TypeError. */
  qualname: string;
  /** Returns True, False or a message (Python values); may throw `PyException` (frames from its own frame inward). */
  run(args: Record<string, unknown>, fileExists: (name: string) => boolean): unknown;
}

/** `folder_paths.exists_annotated_filepath(name)`: non-strings fail on `name.endswith`. */
function existsAnnotated(name: unknown, fileExists: (name: string) => boolean, caller: PyFrame): boolean {
  if (typeof name !== 'string') {
    throw new PyException('AttributeError', `'${pyTypeName(name)}' object has no attribute 'endswith'`, [
      caller,
      FRAMES.existsAnnotated,
      FRAMES.annotatedEndswith,
    ]);
  }
  return fileExists(name);
}

function fileChecker(arg: string, noun: string, file: string, line: number, fn: string, qualname: string): CustomValidator {
  const frame = validateFileFrame(file, line, fn, arg);
  return {
    args: [arg],
    qualname,
    run(args, fileExists) {
      const name = args[arg];
      return existsAnnotated(name, fileExists, frame) ? true : `Invalid ${noun} file: ${pyStr(name)}`;
    },
  };
}

const loadImage = fileChecker('image', 'image', 'nodes.py', 1701, 'VALIDATE_INPUTS', 'LoadImage.VALIDATE_INPUTS');

export const CUSTOM_VALIDATORS: Readonly<Record<string, CustomValidator>> = {
  LoadImage: loadImage,
  // LoadImageOutput inherits LoadImage.VALIDATE_INPUTS; its `image` is a V1 "COMBO" (never list-checked).
  LoadImageOutput: loadImage,
  LoadImageMask: fileChecker('image', 'image', 'nodes.py', 1750, 'VALIDATE_INPUTS', 'LoadImageMask.VALIDATE_INPUTS'),
  LoadLatent: fileChecker('latent', 'latent', 'nodes.py', 538, 'VALIDATE_INPUTS', 'LoadLatent.VALIDATE_INPUTS'),
  LoadAudio: fileChecker('audio', 'audio', 'comfy_extras/nodes_audio.py', 347, 'VALIDATE_INPUTS', 'LoadAudio.VALIDATE_INPUTS'),
  LoadVideo: fileChecker('file', 'video', 'comfy_extras/nodes_video.py', 200, 'validate_inputs', 'LoadVideo.validate_inputs'),
  LoadImageSetNode: {
    args: ['images', 'resize_method'],
    inputIsList: true,
    qualname: 'LoadImageSetNode.VALIDATE_INPUTS',
    run(args, fileExists) {
      const frame = validateFileFrame('comfy_extras/nodes_train.py', 218, 'VALIDATE_INPUTS', 'image');
      const images = args.images as unknown[];
      const filenames = Array.isArray(images[0]) ? (images[0] as unknown[]) : images;
      for (const image of filenames) {
        if (!existsAnnotated(image, fileExists, frame)) return `Invalid image file: ${pyStr(image)}`;
      }
      return true;
    },
  },
};

/** Python's TypeError for a call that lacks positional arguments. */
export function missingArgumentsError(qualname: string, missing: string[]): PyException {
  const quoted = missing.map((m) => `'${m}'`);
  const list =
    quoted.length === 1
      ? quoted[0]
      : quoted.length === 2
        ? `${quoted[0]} and ${quoted[1]}`
        : `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}`;
  const noun = missing.length === 1 ? 'argument' : 'arguments';
  return new PyException('TypeError', `${qualname}() missing ${missing.length} required positional ${noun}: ${list}`);
}
