import type { NodeId } from '../graph.js';

export type OutputFileKind = 'image' | 'video' | 'audio' | 'latent' | 'other';
export type OutputFileType = 'output' | 'temp' | 'input';

/** How ComfyUI addresses a file: what `/view` and `LoadImage` take. */
export interface OutputFileRef {
  filename: string;
  subfolder: string;
  type: OutputFileType;
}

/** A file a node produced, found in its UI output. */
export interface OutputFile extends OutputFileRef {
  nodeId: NodeId;
  kind: OutputFileKind;
  /** The output key it was listed under (`images`, `gifs`, `audio`, custom…). */
  outputKey: string;
}

const VIDEO_EXT = new Set(['mp4', 'webm', 'mov', 'mkv', 'avi', 'm4v', 'gif']);
const IMAGE_EXT = new Set(['png', 'jpg', 'jpeg', 'webp', 'bmp', 'tif', 'tiff', 'exr', 'avif']);
const AUDIO_EXT = new Set(['wav', 'flac', 'mp3', 'ogg', 'opus', 'm4a', 'aac']);
const FILE_TYPES = new Set<string>(['output', 'temp', 'input']);

/**
 * Every `{filename, subfolder, type}` object in any list of a node's UI outputs, whatever the
 * key: custom nodes invent keys (`gifs` from VideoHelperSuite), so the shape decides, not the key.
 * Videos arrive under `images` with `animated: [true]` (SaveVideo, SaveAnimatedWEBP).
 */
export function collectOutputFiles(outputs: Record<NodeId, Record<string, unknown> | null | undefined>): OutputFile[] {
  const files: OutputFile[] = [];
  for (const [nodeId, output] of Object.entries(outputs)) {
    if (!output) continue;
    const animated = Array.isArray(output.animated) ? output.animated : [];
    for (const [key, list] of Object.entries(output)) {
      if (!Array.isArray(list)) continue;
      list.forEach((item, index) => {
        if (typeof item !== 'object' || item === null) return;
        const { filename, subfolder, type } = item as { filename?: unknown; subfolder?: unknown; type?: unknown };
        if (typeof filename !== 'string' || filename === '') return;
        const fileType = type === undefined ? 'output' : type;
        if (typeof fileType !== 'string' || !FILE_TYPES.has(fileType)) return;
        const isAnimated = animated[index] === true || (animated.length === 1 && animated[0] === true);
        files.push({
          nodeId,
          outputKey: key,
          filename,
          subfolder: typeof subfolder === 'string' ? subfolder : '',
          type: fileType as OutputFileType,
          kind: kindOf(key, filename, isAnimated),
        });
      });
    }
  }
  return files;
}

/** Kind from the extension first, then the output key, then the `animated` flag. */
export function kindOf(key: string, filename: string, animated = false): OutputFileKind {
  const ext = filename.includes('.') ? filename.slice(filename.lastIndexOf('.') + 1).toLowerCase() : '';
  if (VIDEO_EXT.has(ext) || key === 'gifs') return 'video';
  if (AUDIO_EXT.has(ext) || key === 'audio') return 'audio';
  if (ext === 'latent' || key === 'latents') return 'latent';
  if (IMAGE_EXT.has(ext)) return animated ? 'video' : 'image';
  return 'other';
}
