import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { writeFileAtomic } from '../../assets/atomic-file.js';
import type { Api } from '../api.js';
import { errorReplies, projectParams } from '../api-schemas.js';
import { ApiError } from '../errors/api-error.js';
import type { ServerContext } from '../server-context.js';

const FORMATS: Record<string, string> = { png: 'png', jpeg: 'jpg', webp: 'webp' };

/** A file name that cannot leave the folder or hide: letters, digits, dot, dash, underscore. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return stem || 'reference';
}

/**
 * Reference images for characters and locations, uploaded into `<project>/references/`.
 * Checked by content with sharp before anything is written: a PNG, JPEG or WebP within the
 * byte and pixel limits (decompression bombs are refused from the header, without decoding).
 */
export function referenceRoutes(app: Api, ctx: ServerContext): void {
  app.post('/api/projects/:project/references', {
    config: { scope: 'generate' },
    schema: {
      summary: 'upload a reference image (multipart/form-data, field "file"); refer to the returned path in story.yaml',
      tags: ['story'], params: projectParams,
      consumes: ['multipart/form-data'],
      response: {
        201: z.object({ path: z.string().describe('relative to the project, e.g. references/mara.png'), sha256: z.string(), width: z.number(), height: z.number(), format: z.string(), bytes: z.number() }),
        ...errorReplies(400, 401, 403, 404, 413, 415),
      },
    },
  }, async (request, reply) => {
    const dir = ctx.projects.dir(request.params.project);
    if (!request.isMultipart()) throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the image as multipart/form-data', { field: 'body', hint: 'curl -F file=@mara.png …' });
    const limit = ctx.config.server.uploadLimitBytes;
    const part = await request.file({ limits: { fileSize: limit, files: 1 } });
    if (!part || part.fieldname !== 'file') throw new ApiError(400, 'BAD_REQUEST', 'no file field in the upload', { field: 'body.file', hint: 'send the image in a form field named file' });
    let bytes: Buffer | undefined;
    try {
      bytes = await part.toBuffer();
    } catch {
      bytes = undefined;
    }
    if (!bytes || part.file.truncated) {
      throw new ApiError(413, 'UPLOAD_TOO_LARGE', `the upload is over ${limit} bytes`, { field: 'body.file', hint: `send an image under ${Math.floor(limit / 1024 / 1024)} MiB (server.uploadLimitBytes)` });
    }
    let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
    try {
      meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    } catch {
      throw new ApiError(400, 'NOT_AN_IMAGE', `${part.filename || 'the upload'} is not an image sharp can read`, { field: 'body.file', hint: 'upload a PNG, JPEG or WebP image' });
    }
    const ext = meta.format ? FORMATS[meta.format] : undefined;
    if (!ext || !meta.width || !meta.height) throw new ApiError(400, 'NOT_AN_IMAGE', `${part.filename || 'the upload'} is ${meta.format ?? 'not an image'}, not PNG, JPEG or WebP`, { field: 'body.file', hint: 'upload a PNG, JPEG or WebP image' });
    const pixels = meta.width * meta.height;
    if (pixels > ctx.config.server.uploadLimitPixels) {
      throw new ApiError(413, 'IMAGE_TOO_LARGE', `${meta.width}×${meta.height} is ${pixels} pixels, over the limit of ${ctx.config.server.uploadLimitPixels}`, { field: 'body.file', hint: 'resize the image (server.uploadLimitPixels)' });
    }
    try {
      await sharp(bytes, { limitInputPixels: ctx.config.server.uploadLimitPixels }).stats(); // decodes: a truncated or corrupt body fails here
    } catch {
      throw new ApiError(400, 'NOT_AN_IMAGE', `${part.filename || 'the upload'} could not be decoded`, { field: 'body.file', hint: 'upload an intact PNG, JPEG or WebP image' });
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const name = `${safeFileName(part.filename)}-${sha256.slice(0, 8)}.${ext}`;
    mkdirSync(join(dir, 'references'), { recursive: true });
    await writeFileAtomic(join(dir, 'references', name), bytes);
    return reply.status(201).send({ path: `references/${name}`, sha256, width: meta.width, height: meta.height, format: meta.format!, bytes: bytes.length });
  });
}
