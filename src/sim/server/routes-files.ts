import { createHash } from 'node:crypto';
import { createReadStream, existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { HandlerCrash, sendBare, sendBytes, sendJson, SERVER_HEADER, type RouteTable, type SimRequest } from './http-kit.js';
import { boundaryOf, parseMultipart, type FilePart, type FormValue } from './multipart.js';
import type { ServerResponse } from 'node:http';
import { ensureDir } from '../../platform/ensure-dir.js';

export interface DataDirs {
  output: string;
  input: string;
  temp: string;
}

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.svg': 'image/svg+xml',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mov': 'video/quicktime',
  '.mkv': 'video/x-matroska',
  '.avi': 'video/x-msvideo',
  '.wav': 'audio/x-wav',
  '.mp3': 'audio/mpeg',
  '.flac': 'audio/flac',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
  '.latent': 'application/octet-stream',
};

/** Python's `mimetypes.guess_type`, for the extensions ComfyUI outputs. */
export function guessMime(filename: string): string | undefined {
  return MIME[path.extname(filename).toLowerCase()];
}

/** `folder_paths.annotated_filepath`: note it strips one character more than the tag. */
export function annotatedFilepath(name: string, dirs: DataDirs): [string, string | undefined] {
  if (name.endsWith('[output]')) return [name.slice(0, -9), dirs.output];
  if (name.endsWith('[input]')) return [name.slice(0, -8), dirs.input];
  if (name.endsWith('[temp]')) return [name.slice(0, -7), dirs.temp];
  return [name, undefined];
}

export function directoryByType(type: string, dirs: DataDirs): string | undefined {
  return type === 'output' ? dirs.output : type === 'input' ? dirs.input : type === 'temp' ? dirs.temp : undefined;
}

/** `os.path.commonpath((a, b)) == b`: `candidate` stays inside `root`. */
function inside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** Python's `os.path.join(a, b)`: an absolute `b` replaces `a` (node's join would nest it). */
function pyJoin(a: string, b: string): string {
  return path.isAbsolute(b) ? b : path.join(a, b);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Pillow's JFIF APP0 segment: version 1.01, no density unit, 1:1 aspect, no thumbnail. */
const PILLOW_JFIF_APP0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);

/**
 * A JPEG laid out as Pillow's `img.save(format='jpeg')` writes it: the JFIF APP0 header right
 * after SOI (libvips writes none), standard Huffman tables (no optimised coding), 4:2:0.
 */
export function pillowJpeg(jpeg: Buffer): Buffer {
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) return jpeg;
  return Buffer.concat([jpeg.subarray(0, 2), PILLOW_JFIF_APP0, jpeg.subarray(2)]);
}

/** `GET /view` with ComfyUI's path rules and `preview` / `channel` re-encoding. */
async function view(req: SimRequest, res: ServerResponse, dirs: DataDirs): Promise<void> {
  const query = req.query;
  const raw = query.get('filename');
  if (raw === null) return sendBare(res, 404);
  const [annotatedName, annotatedDir] = annotatedFilepath(raw, dirs);
  if (!annotatedName) return sendBare(res, 400);
  if (annotatedName.startsWith('/') || annotatedName.includes('..')) return sendBare(res, 400);
  let dir = annotatedDir ?? directoryByType(query.get('type') ?? 'output', dirs);
  if (dir === undefined) return sendBare(res, 400);
  const subfolder = query.get('subfolder');
  if (subfolder !== null) {
    const full = path.resolve(dir, subfolder);
    if (!inside(dir, full)) return sendBare(res, 403);
    dir = full;
  }
  const filename = path.basename(annotatedName);
  const file = path.join(dir, filename);
  if (!(await isFile(file))) return sendBare(res, 404);
  const disposition = { 'Content-Disposition': `filename="${filename}"` };
  const channel = query.get('channel');
  const preview = query.get('preview');
  if (preview !== null) {
    const parts = preview.split(';');
    let format = parts[0] ?? '';
    if (!['webp', 'jpeg'].includes(format) || (channel ?? '').includes('a')) format = 'webp';
    const last = parts[parts.length - 1] ?? '';
    const quality = /^\d+$/.test(last) ? Math.min(100, Math.max(1, Number(last))) : 90;
    let image = sharp(file);
    if (format === 'jpeg' || channel === 'rgb') image = image.removeAlpha();
    const body = format === 'jpeg' ? pillowJpeg(await image.jpeg({ quality, optimiseCoding: false }).toBuffer()) : await image.webp({ quality }).toBuffer();
    return sendBytes(res, body, `image/${format}`, disposition);
  }
  if (channel === 'rgb') {
    return sendBytes(res, await sharp(file).removeAlpha().png().toBuffer(), 'image/png', disposition);
  }
  if (channel === 'a') {
    const image = sharp(file);
    const { width = 1, height = 1, hasAlpha } = await image.metadata();
    const alpha = hasAlpha ? await sharp(file).ensureAlpha().extractChannel(3).raw().toBuffer() : Buffer.alloc(width * height, 255);
    const rgba = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) rgba[i * 4 + 3] = alpha[i] ?? 255;
    return sendBytes(res, await sharp(rgba, { raw: { width, height, channels: 4 } }).png().toBuffer(), 'image/png', disposition);
  }
  let contentType = guessMime(filename) ?? 'application/octet-stream';
  if (['text/html', 'text/html-sandboxed', 'application/xhtml+xml', 'text/javascript', 'text/css'].includes(contentType)) contentType = 'application/octet-stream';
  await streamFile(req, res, file, contentType, disposition);
}

/** aiohttp's FileResponse: ETag, Last-Modified, Accept-Ranges and single byte ranges. */
export async function streamFile(req: SimRequest, res: ServerResponse, file: string, contentType: string, extra: Record<string, string>): Promise<void> {
  const stat = await fs.stat(file);
  const etag = `"${Math.floor(stat.mtimeMs * 1e6).toString(16)}-${stat.size.toString(16)}"`;
  const headers: Record<string, string | number> = {
    'Content-Type': contentType,
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': stat.mtime.toUTCString(),
    Server: SERVER_HEADER,
    ...extra,
  };
  const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
  if (range && (range[1] || range[2])) {
    let start = range[1] ? Number(range[1]) : Math.max(0, stat.size - Number(range[2]));
    let end = range[1] && range[2] ? Number(range[2]) : stat.size - 1;
    end = Math.min(end, stat.size - 1);
    if (start > end || start >= stat.size) {
      res.writeHead(416, { ...headers, 'Content-Range': `bytes */${stat.size}`, 'Content-Length': 0 });
      res.end();
      return;
    }
    start = Math.max(0, start);
    res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${stat.size}`, 'Content-Length': end - start + 1 });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file, { start, end }).pipe(res);
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': stat.size });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}

async function readForm(req: SimRequest): Promise<Map<string, FormValue>> {
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary) return new Map();
  return parseMultipart(await req.body(), boundary);
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

type SaveFunction = (image: FilePart, form: Map<string, FormValue>, filepath: string) => Promise<void>;

/** `image_upload` of server.py: dedupe by hash, rename `name (1).ext`, overwrite on "true"/"1". */
async function imageUpload(form: Map<string, FormValue>, res: ServerResponse, dirs: DataDirs, save?: SaveFunction): Promise<void> {
  const image = form.get('image');
  const overwrite = form.get('overwrite');
  const typeField = form.get('type');
  const uploadType = typeof typeField === 'string' ? typeField : 'input';
  const uploadDir = directoryByType(uploadType, dirs);
  if (image === undefined) return sendBare(res, 400);
  if (typeof image === 'string') throw new HandlerCrash("'str' object has no attribute 'file'");
  if (uploadDir === undefined) throw new HandlerCrash("local variable 'type_dir' referenced before assignment");
  let filename = image.filename;
  if (!filename) return sendBare(res, 400);
  const subfolderField = form.get('subfolder');
  const subfolder = typeof subfolderField === 'string' ? subfolderField : '';
  const folder = pyJoin(uploadDir, path.normalize(subfolder));
  let filepath = path.resolve(folder, filename);
  if (!inside(uploadDir, filepath)) return sendBare(res, 400);
  await ensureDir(folder);
  const ext = path.extname(filename);
  const stem = filename.slice(0, filename.length - ext.length);
  let duplicate = false;
  if (!(overwrite === 'true' || overwrite === '1')) {
    let i = 1;
    while (existsSync(filepath)) {
      if (sha256(await fs.readFile(filepath)) === sha256(image.data)) {
        duplicate = true;
        break;
      }
      filename = `${stem} (${i})${ext}`;
      filepath = path.join(folder, filename);
      i += 1;
    }
  }
  if (!duplicate) {
    if (save) await save(image, form, filepath);
    else await fs.writeFile(filepath, image.data);
  }
  sendJson(res, { name: filename, subfolder, type: uploadType });
}

/** `/upload/mask`: the original's pixels with the uploaded image's alpha. */
function maskSaver(dirs: DataDirs): SaveFunction {
  return async (image, form, filepath) => {
    const refText = form.get('original_ref');
    if (typeof refText !== 'string') throw new HandlerCrash('the JSON object must be str, not NoneType');
    let ref: Record<string, unknown>;
    try {
      ref = JSON.parse(refText) as Record<string, unknown>;
    } catch {
      throw new HandlerCrash('original_ref is not JSON');
    }
    const [name, annotatedDir] = annotatedFilepath(String(ref.filename ?? ''), dirs);
    // ComfyUI returns early (silently, still answering 200) on any path problem here.
    if (!name || name.startsWith('/') || name.includes('..')) return;
    let dir = annotatedDir ?? directoryByType(String(ref.type ?? 'output'), dirs);
    if (dir === undefined) return;
    if (ref.subfolder !== undefined && ref.subfolder !== '') {
      const full = path.resolve(dir, String(ref.subfolder));
      if (!inside(dir, full)) return;
      dir = full;
    }
    const original = path.join(dir, name);
    if (!(await isFile(original))) return;
    const base = sharp(original).ensureAlpha();
    const { width = 0, height = 0 } = await base.metadata();
    const mask = sharp(image.data).ensureAlpha();
    const maskMeta = await mask.metadata();
    if (maskMeta.width !== width || maskMeta.height !== height) throw new HandlerCrash('images do not match');
    const alpha = await mask.extractChannel(3).raw().toBuffer();
    const rgb = await sharp(original).removeAlpha().raw().toBuffer();
    const rgba = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      rgba[i * 4] = rgb[i * 3] ?? 0;
      rgba[i * 4 + 1] = rgb[i * 3 + 1] ?? 0;
      rgba[i * 4 + 2] = rgb[i * 3 + 2] ?? 0;
      rgba[i * 4 + 3] = alpha[i] ?? 255;
    }
    await fs.writeFile(filepath, await sharp(rgba, { raw: { width, height, channels: 4 } }).png({ compressionLevel: 4 }).toBuffer());
  };
}

/** /view, /upload/image, /upload/mask and /internal/files/{type}. */
export function addFileRoutes(routes: RouteTable, dirs: DataDirs): void {
  routes.add('GET', '/view', (req, res) => view(req, res, dirs));
  routes.add('POST', '/upload/image', async (req, res) => imageUpload(await readForm(req), res, dirs));
  routes.add('POST', '/upload/mask', async (req, res) => imageUpload(await readForm(req), res, dirs, maskSaver(dirs)));
  routes.add(
    'GET',
    '/internal/files/{directory_type}',
    async (req, res) => {
      const dir = directoryByType(req.params.directory_type ?? '', dirs);
      if (!dir) return sendJson(res, { error: 'Invalid directory type' }, 400);
      const entries = await fs.readdir(dir, { withFileTypes: true });
      const files = await Promise.all(
        entries.filter((e) => e.isFile() && !e.name.startsWith('.')).map(async (e) => ({ name: e.name, mtime: (await fs.stat(path.join(dir, e.name))).mtimeMs })),
      );
      sendJson(res, files.sort((a, b) => b.mtime - a.mtime).map((f) => f.name));
    },
    { internal: true },
  );
}
