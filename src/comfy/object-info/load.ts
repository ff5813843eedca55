import { InputLimitError } from '../../platform/errors/input-limit-error.js';
import { readBoundedText } from '../../platform/bounded-file.js';
import { fileURLToPath } from 'node:url';
import { StoryCoreError } from '../../errors/storycore-error.js';
import { copyLiterals, parseKeepingLiterals } from '../py-literals.js';
import { parseObjectInfo } from './schema.js';
import type { ObjectInfo } from './types.js';

/** The snapshot recorded from real ComfyUI 0.3.64 (383 core node classes), shipped in the package. */
export const DEFAULT_OBJECT_INFO_PATH = fileURLToPath(new URL('../../../assets/comfyui/object_info-0.3.64.json', import.meta.url));

let cachedDefault: ObjectInfo | undefined;

/** Loads and validates an object_info JSON file (e.g. one saved from a user's worker). */
export function loadObjectInfoFile(path: string): ObjectInfo {
  let text: string;
  try {
    text = readBoundedText(path, path);
  } catch (cause) {
    if (cause instanceof InputLimitError) throw cause;
    throw new StoryCoreError('OBJECT_INFO_UNREADABLE', `cannot read object_info file ${path}`, {
      hint: 'pass a file saved from GET /object_info of a ComfyUI server',
      cause,
    });
  }
  try {
    // Keeps `1.0` and 2^64-1 as ComfyUI wrote them, for the emulator to serve them back unchanged.
    const raw = parseKeepingLiterals(text);
    const info = parseObjectInfo(raw);
    copyLiterals(raw, info);
    return info;
  } catch (cause) {
    throw new StoryCoreError('OBJECT_INFO_INVALID', `${path} is not a valid /object_info body: ${(cause as Error).message.split('\n')[0]}`, {
      hint: 'save it with: curl http://<worker>:8188/api/object_info > object_info.json',
      cause,
    });
  }
}

/** The recorded 0.3.64 core snapshot; parsed once per process. */
export function defaultObjectInfo(): ObjectInfo {
  cachedDefault ??= loadObjectInfoFile(DEFAULT_OBJECT_INFO_PATH);
  return cachedDefault;
}
