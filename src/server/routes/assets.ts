import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import type { Api } from '../api.js';
import { errorReplies, projectParams } from '../api-schemas.js';
import { sniffContentType } from '../content-type.js';
import { ApiError } from '../errors/api-error.js';
import { assertInside } from '../projects/project-dirs.js';
import type { ServerContext } from '../server-context.js';

const assetParams = projectParams.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase sha256 hex digest') });
const THUMB_SIZES = [128, 256, 512] as const;

async function head(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const { bytesRead } = await fh.read(buf, 0, 16, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Stored assets by sha256: streamed with Range support, `ETag` = the sha256 (content never
 * changes under a hash), the type from the bytes; and cached WebP thumbnails of images.
 */
export function assetRoutes(app: Api, ctx: ServerContext): void {
  app.get('/api/projects/:project/assets/:sha256', {
    config: { scope: 'read' },
    schema: {
      summary: 'download a stored asset (Range supported; ETag is the sha256)',
      tags: ['assets'], params: assetParams,
      querystring: z.strictObject({ thumb: z.coerce.number().int().refine((n) => (THUMB_SIZES as readonly number[]).includes(n), 'one of 128, 256, 512').optional().describe('a WebP thumbnail this many pixels wide (images only)') }),
      response: { 200: z.any().describe('the asset bytes'), 206: z.any(), 304: z.null(), ...errorReplies(400, 401, 403, 404, 416) },
    },
  }, async (request, reply) => {
    const dir = ctx.projects.dir(request.params.project);
    const { sha256 } = request.params;
    const object = join(dir, '.storycore', 'objects', sha256.slice(0, 2), sha256);
    if (!existsSync(object)) throw new ApiError(404, 'NOT_FOUND', `no stored asset ${sha256}`, { field: 'params.sha256', hint: 'use a sha256 from GET /api/projects/{project}/shots' });
    assertInside(dir, object, 'params.sha256');
    const type = sniffContentType(await head(object));
    if (request.query.thumb !== undefined) {
      if (!type.startsWith('image/')) throw new ApiError(400, 'NOT_AN_IMAGE', `asset ${sha256} is ${type}, not an image`, { field: 'query.thumb', hint: 'ask thumbnails of keyframes (images) only' });
      const thumb = join(dir, '.storycore', 'thumbs', `${sha256}-${request.query.thumb}.webp`);
      if (!existsSync(thumb)) {
        await mkdir(dirname(thumb), { recursive: true });
        const tmp = `${thumb}.${process.pid}.tmp`;
        await sharp(object, { limitInputPixels: 100_000_000 }).resize({ width: request.query.thumb, withoutEnlargement: true }).webp({ quality: 80 }).toFile(tmp);
        await rename(tmp, thumb);
      }
      void reply.header('etag', `"${sha256}-${request.query.thumb}"`).header('cache-control', 'public, max-age=31536000, immutable').type('image/webp');
      return reply.sendFile(relative(ctx.projects.root, thumb), ctx.projects.root, { etag: false, lastModified: false, contentType: false });
    }
    void reply.header('etag', `"${sha256}"`).header('cache-control', 'public, max-age=31536000, immutable').type(type);
    if (!request.headers.range && request.headers['if-none-match'] === undefined) {
      // A whole-file download: one read stream with large chunks (send's 64 KiB reads cost a third of the throughput).
      const { size } = await stat(object);
      void reply.header('content-length', String(size)).header('accept-ranges', 'bytes');
      return reply.send(createReadStream(object, { highWaterMark: 1024 * 1024 }));
    }
    return reply.sendFile(relative(ctx.projects.root, object), ctx.projects.root, { etag: false, lastModified: false, acceptRanges: true, contentType: false });
  });

  app.get('/api/projects/:project/cut', {
    config: { scope: 'read' },
    schema: {
      summary: 'download the rendered cut, out/final.mp4 (Range supported)',
      tags: ['assets'], params: projectParams,
      response: { 200: z.any().describe('video/mp4'), 206: z.any(), ...errorReplies(400, 401, 403, 404, 416) },
    },
  }, async (request, reply) => {
    const dir = ctx.projects.dir(request.params.project);
    const final = join(dir, 'out', 'final.mp4');
    if (!existsSync(final)) throw new ApiError(404, 'NOT_FOUND', 'the project has no rendered cut yet', { hint: 'start a render run: POST /api/projects/{project}/runs {"kind":"render"}' });
    void reply.type('video/mp4');
    return reply.sendFile(relative(ctx.projects.root, final), ctx.projects.root, { lastModified: true, acceptRanges: true });
  });
}
