import sharp from 'sharp';
import { ImageValue } from '../execution/values.js';
import { withPngText } from '../execution/nodes/save-image.js';
import { CardRenderer } from '../render/card.js';
import { imageFrames } from '../render/frames.js';
import type { NodeExecutionContext, NodeExecutionResult, NodeExecutor } from '../execution/node-executor.js';

/**
 * `SaveImageWebsocket` (custom_nodes/websocket_image_save.py, loaded by default): each image
 * of the batch goes out as a PNG through the progress-bar preview path (binary frames, one
 * `progress` per image with values 0..n-1), no `executed`, no UI output. It needs the
 * engine's preview channel, so the engine provides it in front of the node executor.
 */
async function saveImageWebsocket(ctx: NodeExecutionContext): Promise<NodeExecutionResult> {
  const images = ctx.inputs.images;
  if (!(images instanceof ImageValue)) {
    const bytes = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 128, g: 128, b: 128 } } }).png().toBuffer();
    ctx.progress(0, 1, { format: 'png', bytes });
    return { outputs: [] };
  }
  // Each frame as PIL encodes it for the socket: clip(255·x) → uint8, PNG with compress_level 1.
  let step = 0;
  for await (const frame of imageFrames(images, cards)) {
    const png = await sharp(frame, { raw: { width: images.width, height: images.height, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
    ctx.progress(step, images.batch, { format: 'png', bytes: withPngText(png, {}) });
    step += 1;
  }
  return { outputs: [] };
}

const cards = new CardRenderer(8);

export function withEngineNodes(executor: NodeExecutor): NodeExecutor {
  return {
    execute: (ctx) => (ctx.classType === 'SaveImageWebsocket' ? saveImageWebsocket(ctx) : executor.execute(ctx)),
  };
}
