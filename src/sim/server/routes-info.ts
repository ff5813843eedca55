import os from 'node:os';
import path from 'node:path';
import { versionOfProtocol, type ComfyProtocol } from '../../comfy/comfyui-version.js';
import type { ObjectInfo } from '../../comfy/object-info/types.js';
import type { GpuDevice, GpuReport } from '../engine/gpu-report.js';
import { sendBare, sendBytes, sendJson, type RouteTable } from './http-kit.js';
import { SERVER_FEATURES } from './socket-hub.js';

/** Model folder keys in the order 0.3.64's `/models` lists them, with the directories each searches. */
export const MODEL_FOLDERS: Array<[string, string[]]> = [
  ['checkpoints', ['models/checkpoints', 'output/checkpoints']],
  ['configs', ['models/configs']],
  ['loras', ['models/loras', 'output/loras']],
  ['vae', ['models/vae', 'output/vae']],
  ['text_encoders', ['models/text_encoders', 'models/clip', 'output/clip']],
  ['diffusion_models', ['models/unet', 'models/diffusion_models', 'output/diffusion_models']],
  ['clip_vision', ['models/clip_vision']],
  ['style_models', ['models/style_models']],
  ['embeddings', ['models/embeddings']],
  ['diffusers', ['models/diffusers']],
  ['vae_approx', ['models/vae_approx']],
  ['controlnet', ['models/controlnet', 'models/t2i_adapter']],
  ['gligen', ['models/gligen']],
  ['upscale_models', ['models/upscale_models']],
  ['custom_nodes', ['custom_nodes']],
  ['hypernetworks', ['models/hypernetworks']],
  ['photomaker', ['models/photomaker']],
  ['classifiers', ['models/classifiers']],
  ['model_patches', ['models/model_patches']],
  ['audio_encoders', ['models/audio_encoders']],
];

export interface InfoContext {
  comfyui: ComfyProtocol;
  /** GPUs the worker has (current ComfyUI lists each in /system_stats; 0.3.64 only the primary). */
  gpus: number;
  objectInfo: () => ObjectInfo;
  models: Record<string, string[]>;
  gpu: GpuReport;
  baseDir: string;
  argv: () => string[];
}

function folderKeys(models: Record<string, string[]>): string[] {
  const keys = MODEL_FOLDERS.map(([key]) => key);
  for (const key of Object.keys(models)) if (!keys.includes(key)) keys.push(key);
  return keys;
}

/** Python sorts str by code point; so does this comparison. */
function codePointSort(values: string[]): string[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The other GPUs of a multi-GPU worker: same card, nothing loaded (the emulator runs on the first). */
function idleDevices(primary: GpuDevice, count: number): GpuDevice[] {
  const free = primary.vram_free + primary.torch_vram_total;
  return Array.from({ length: Math.max(0, count - 1) }, (_, i) => ({
    ...primary,
    name: primary.name.replace(/^cuda:0\b/, `cuda:${i + 1}`),
    index: i + 1,
    vram_free: free,
    torch_vram_total: 0,
    torch_vram_free: 0,
  }));
}

/** /system_stats, /features, /object_info, /models, /embeddings, /extensions, /internal/*, `/`. */
export function addInfoRoutes(routes: RouteTable, ctx: InfoContext): void {
  routes.add('GET', '/system_stats', (_req, res) => {
    const primary = ctx.gpu.device();
    const cpu = primary.type === 'cpu';
    // --cpu: ComfyUI's "VRAM" is system RAM (psutil), and torch's figures are the same numbers.
    const device = cpu ? { ...primary, torch_vram_total: primary.vram_total, torch_vram_free: primary.vram_free } : primary;
    sendJson(res, {
      system: {
        os: 'posix',
        ram_total: cpu ? device.vram_total : os.totalmem(),
        ram_free: cpu ? device.vram_free : os.freemem(),
        comfyui_version: versionOfProtocol(ctx.comfyui),
        required_frontend_version: '1.27.10',
        installed_templates_version: '0.1.95',
        required_templates_version: '0.1.95',
        python_version: '3.12.3 (main, Aug 14 2025, 17:47:21) [GCC 13.3.0]',
        pytorch_version: cpu ? '2.8.0+cpu' : '2.8.0+cu128',
        embedded_python: false,
        argv: ctx.argv(),
      },
      devices: [device, ...(ctx.comfyui === 'current' && !cpu ? idleDevices(primary, ctx.gpus) : [])],
    });
  });

  routes.add('GET', '/features', (_req, res) => sendJson(res, { ...SERVER_FEATURES }));

  routes.add('GET', '/object_info', (_req, res) => sendJson(res, ctx.objectInfo()));
  routes.add('GET', '/object_info/{node_class}', (req, res) => {
    const name = req.params.node_class ?? '';
    const info = ctx.objectInfo();
    sendJson(res, Object.hasOwn(info, name) ? { [name]: info[name] } : {});
  });

  routes.add('GET', '/models', (_req, res) => sendJson(res, folderKeys(ctx.models)));
  routes.add('GET', '/models/{folder}', (req, res) => {
    const folder = req.params.folder ?? '';
    if (!folderKeys(ctx.models).includes(folder)) return sendBare(res, 404);
    sendJson(res, codePointSort(ctx.models[folder] ?? []));
  });

  routes.add('GET', '/embeddings', (_req, res) => {
    sendJson(res, (ctx.models.embeddings ?? []).map((file) => file.slice(0, file.length - path.extname(file).length)));
  });

  routes.add('GET', '/extensions', (_req, res) => sendJson(res, []));

  routes.add(
    'GET',
    '/internal/folder_paths',
    (_req, res) => {
      const out: Record<string, string[]> = {};
      for (const [key, dirs] of MODEL_FOLDERS) out[key] = dirs.map((d) => path.join(ctx.baseDir, d));
      for (const key of Object.keys(ctx.models)) out[key] ??= [path.join(ctx.baseDir, 'models', key)];
      sendJson(res, out);
    },
    { internal: true },
  );
  routes.add('GET', '/internal/logs', (_req, res) => sendJson(res, ''), { internal: true });
  routes.add('GET', '/internal/logs/raw', (_req, res) => sendJson(res, { entries: [], size: { cols: 80, rows: 24 } }), { internal: true });

  routes.add('GET', '/', (_req, res) => {
    const page = '<!doctype html><html><head><title>StoryCore ComfyUI emulator</title></head><body>ComfyUI 0.3.64-compatible emulator (no frontend)</body></html>\n';
    sendBytes(res, Buffer.from(page), 'text/html', { 'Cache-Control': 'no-cache', Pragma: 'no-cache', Expires: '0' });
  });
}
