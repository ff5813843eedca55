import sharp from 'sharp';
import { effectiveFill, ImageValue } from '../execution/values.js';
import type { NodeExecutionContext, NodeExecutionResult, NodeExecutor } from '../execution/node-executor.js';

/**
 * `SaveImageWebsocket` (custom_nodes/websocket_image_save.py, loaded by default): each image
 * of the batch goes out as a PNG through the progress-bar preview path (binary frames, one
 * `progress` per image with values 0..n-1), no `executed`, no UI output. It needs the
 * engine's preview channel, so the engine provides it in front of the node executor.
 */
async function saveImageWebsocket(ctx: NodeExecutionContext): Promise<NodeExecutionResult> {
  const images = ctx.inputs.images;
  const width = images instanceof ImageValue ? images.width : 64;
  const height = images instanceof ImageValue ? images.height : 64;
  const batch = images instanceof ImageValue ? images.batch : 1;
  const [r, g, b] = (images instanceof ImageValue ? effectiveFill(images) : undefined) ?? [128, 128, 128];
  const bytes = await sharp({ create: { width: Math.max(1, width), height: Math.max(1, height), channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();
  for (let step = 0; step < batch; step++) ctx.progress(step, batch, { format: 'png', bytes });
  return { outputs: [] };
}

export function withEngineNodes(executor: NodeExecutor): NodeExecutor {
  return {
    execute: (ctx) => (ctx.classType === 'SaveImageWebsocket' ? saveImageWebsocket(ctx) : executor.execute(ctx)),
  };
}
