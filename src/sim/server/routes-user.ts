import { existsSync, promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import { PyFloat } from './py-json.js';
import { guessMime, streamFile } from './routes-files.js';
import { readJson, sendBare, sendJson, sendText, SERVER_HEADER, type RouteTable, type SimRequest } from './http-kit.js';
import type { ServerResponse } from 'node:http';
import { ensureDir } from '../../platform/ensure-dir.js';

/**
 * The user data and settings routes of ComfyUI's `app/user_manager.py` and `app_settings.py`
 * for a single-user server (user "default", files under `<base>/user/default/`), and
 * `/view_metadata/{folder}` of server.py (a safetensors file's `__metadata__`).
 */
export interface UserRoutesContext {
  baseDir: string;
  /** Model folder keys and the directories each searches (`MODEL_FOLDERS`). */
  modelFolders: Array<[string, string[]]>;
}

/** `get_request_user_filepath`: a path inside the user's folder, or undefined when it would leave it. */
function userPath(userRoot: string, file: string | null): string | undefined {
  if (file === null) return userRoot;
  // aiohttp has decoded the segment once; ComfyUI unquotes again when a '%' is left.
  const name = file.includes('%') ? safeDecode(file) : file;
  const full = path.resolve(userRoot, name);
  return full === userRoot || full.startsWith(userRoot + path.sep) ? full : undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function fileInfo(file: string, relativeTo: string): Record<string, unknown> {
  const st = statSync(file);
  return { path: path.relative(relativeTo, file).split(path.sep).join('/'), size: st.size, modified: new PyFloat(st.mtimeMs / 1000), created: new PyFloat(st.ctimeMs / 1000) };
}

async function walk(dir: string, recurse: boolean): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isFile()) out.push(full);
    else if (recurse && entry.isDirectory()) out.push(...(await walk(full, true)));
  }
  return out;
}

async function readSettings(file: string): Promise<Record<string, unknown>> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** `safetensors_header` + `__metadata__`: undefined wherever ComfyUI answers a bare 404. */
async function safetensorsMetadata(file: string): Promise<unknown> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(8);
    if ((await handle.read(head, 0, 8, 0)).bytesRead < 8) return undefined;
    const length = head.readBigUInt64LE(0);
    if (length > 1024n * 1024n) return undefined;
    const body = Buffer.alloc(Number(length));
    await handle.read(body, 0, body.length, 8);
    const header = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    return Object.hasOwn(header, '__metadata__') ? header.__metadata__ : undefined;
  } finally {
    await handle.close();
  }
}

export function addUserRoutes(routes: RouteTable, ctx: UserRoutesContext): void {
  const userDir = path.join(ctx.baseDir, 'user');
  const userRoot = path.join(userDir, 'default');
  const settingsFile = path.join(userRoot, 'comfy.settings.json');
  const saveSettings = async (settings: Record<string, unknown>) => {
    await ensureDir(userRoot);
    // json.dumps(settings, indent=4) has the same layout.
    await fs.writeFile(settingsFile, JSON.stringify(settings, null, 4));
  };

  routes.add('GET', '/users', (_req, res) => sendJson(res, { storage: 'server', migrated: existsSync(userRoot) }));

  routes.add('GET', '/settings', async (_req, res) => sendJson(res, await readSettings(settingsFile)));
  routes.add('GET', '/settings/{id}', async (req, res) => {
    const settings = await readSettings(settingsFile);
    const id = req.params.id ?? '';
    sendJson(res, id && Object.hasOwn(settings, id) ? settings[id] : null);
  });
  routes.add('POST', '/settings', async (req, res) => {
    const settings = await readSettings(settingsFile);
    await saveSettings({ ...settings, ...(readObject(await readJson(req))) });
    sendBare(res, 200);
  });
  routes.add('POST', '/settings/{id}', async (req, res) => {
    const settings = await readSettings(settingsFile);
    settings[req.params.id ?? ''] = await readJson(req);
    await saveSettings(settings);
    sendBare(res, 200);
  });

  routes.add('GET', '/userdata', async (req, res) => {
    const directory = req.query.get('dir') ?? '';
    if (!directory) return sendText(res, 400, 'Directory not provided');
    const dir = userPath(userRoot, directory);
    if (!dir) return sendText(res, 403, 'Invalid directory');
    await ensureDir(path.dirname(dir));
    if (!existsSync(dir)) return sendText(res, 404, 'Directory not found');
    const flag = (name: string) => (req.query.get(name) ?? '').toLowerCase() === 'true';
    const files = await walk(dir, flag('recurse'));
    sendJson(
      res,
      files.map((file) => {
        if (flag('full_info')) return fileInfo(file, dir);
        const rel = path.relative(dir, file).split(path.sep).join('/');
        return flag('split') ? [rel, ...rel.split('/')] : rel;
      }),
    );
  });

  const target = async (req: SimRequest, res: ServerResponse, param: string, mustExist: boolean): Promise<string | undefined> => {
    const file = req.params[param] ?? '';
    if (!file) return void sendBare(res, 400);
    const full = userPath(userRoot, file);
    if (!full) return void sendBare(res, 403);
    await ensureDir(path.dirname(full));
    if (mustExist && !existsSync(full)) return void sendBare(res, 404);
    return full;
  };
  const answerPath = (req: SimRequest, res: ServerResponse, file: string) =>
    sendJson(res, (req.query.get('full_info') ?? 'false').toLowerCase() === 'true' ? fileInfo(file, userRoot) : path.relative(userRoot, file));

  routes.add('GET', '/userdata/{file}', async (req, res) => {
    const file = await target(req, res, 'file', true);
    if (file) await streamFile(req, res, file, guessMime(file) ?? 'application/octet-stream', {});
  });
  routes.add('POST', '/userdata/{file}', async (req, res) => {
    const file = await target(req, res, 'file', false);
    if (!file) return;
    if (req.query.get('overwrite') === 'false' && existsSync(file)) return sendText(res, 409, 'File already exists');
    await fs.writeFile(file, await req.body());
    answerPath(req, res, file);
  });
  routes.add('DELETE', '/userdata/{file}', async (req, res) => {
    const file = await target(req, res, 'file', true);
    if (!file) return;
    await fs.rm(file);
    // aiohttp sends a 204 without Content-Type.
    res.writeHead(204, { Server: SERVER_HEADER });
    res.end();
  });
  routes.add('POST', '/userdata/{file}/move/{dest}', async (req, res) => {
    const source = await target(req, res, 'file', true);
    if (!source) return;
    const dest = await target(req, res, 'dest', false);
    if (!dest) return;
    if (req.query.get('overwrite') === 'false' && existsSync(dest)) return sendText(res, 409, 'File already exists');
    await fs.rename(source, dest);
    answerPath(req, res, dest);
  });

  routes.add('GET', '/view_metadata/{folder_name}', async (req, res) => {
    const filename = req.query.get('filename');
    if (filename === null || !filename.endsWith('.safetensors')) return sendBare(res, 404);
    const dirs = ctx.modelFolders.find(([key]) => key === req.params.folder_name)?.[1] ?? [];
    const file = dirs.map((d) => path.resolve(ctx.baseDir, d, filename)).find((f) => existsSync(f) && statSync(f).isFile());
    const metadata = file ? await safetensorsMetadata(file).catch(() => undefined) : undefined;
    if (metadata === undefined) return sendBare(res, 404);
    sendJson(res, metadata);
  });
}

function readObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
