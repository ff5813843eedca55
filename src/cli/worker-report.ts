import { formatUnreadable, type UnreadableNode } from '../comfy/object-info/read-object-info.js';

/**
 * The facts `workers check` shows, read out of /system_stats, /queue and /object_info bodies.
 * Kept tolerant of missing fields: old or custom servers omit some of them.
 */
export interface WorkerReport {
  url: string;
  comfyuiVersion: string | null;
  pythonVersion: string | null;
  pytorchVersion: string | null;
  os: string | null;
  gpu: { name: string; type: string; vramTotal: number | null; vramFree: number | null } | null;
  queue: { running: number; pending: number };
  nodeClasses: number;
  /** Classes the worker serves that the client could not parse, so left out of nodeClasses. */
  skippedNodes: UnreadableNode[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function count(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  return typeof value === 'number' ? value : 0;
}

export function buildWorkerReport(url: string, systemStats: unknown, queue: unknown, objectInfo: unknown, skippedNodes: UnreadableNode[] = []): WorkerReport {
  const system = isObject(systemStats) && isObject(systemStats.system) ? systemStats.system : {};
  const devices = isObject(systemStats) && Array.isArray(systemStats.devices) ? systemStats.devices : [];
  const device = devices.find(isObject);
  const q = isObject(queue) ? queue : {};
  return {
    url,
    comfyuiVersion: text(system.comfyui_version),
    // "3.12.3 (main, ...) [GCC 13.2.0]" → "3.12.3"
    pythonVersion: text(system.python_version)?.split(' ')[0] ?? null,
    pytorchVersion: text(system.pytorch_version),
    os: text(system.os),
    gpu: device
      ? {
          name: cleanDeviceName(String(device.name ?? 'unknown')),
          type: String(device.type ?? 'unknown'),
          vramTotal: typeof device.vram_total === 'number' ? device.vram_total : null,
          vramFree: typeof device.vram_free === 'number' ? device.vram_free : null,
        }
      : null,
    queue: {
      running: count(q.queue_running ?? q.running),
      pending: count(q.queue_pending ?? q.pending),
    },
    nodeClasses: isObject(objectInfo) ? Object.keys(objectInfo).length : 0,
    skippedNodes,
  };
}

/** "cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync" → "NVIDIA GeForce RTX 4090 (cuda:0)" */
function cleanDeviceName(name: string): string {
  const match = /^(\S+:\d+)\s+(.*?)(?:\s+:\s+\S+)?$/.exec(name);
  return match ? `${match[2]} (${match[1]})` : name;
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return 'unknown';
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

export function formatWorkerReport(report: WorkerReport): string[] {
  return [
    `worker     ${report.url}`,
    `ComfyUI    ${report.comfyuiVersion ?? 'unknown'}`,
    `Python     ${report.pythonVersion ?? 'unknown'}`,
    `PyTorch    ${report.pytorchVersion ?? 'unknown'}`,
    `GPU        ${report.gpu ? report.gpu.name : 'none reported'}`,
    `VRAM       ${report.gpu ? `${formatBytes(report.gpu.vramTotal)} total, ${formatBytes(report.gpu.vramFree)} free` : 'unknown'}`,
    `queue      ${report.queue.running} running, ${report.queue.pending} pending`,
    `nodes      ${report.nodeClasses} classes${report.skippedNodes.length > 0 ? `, ${report.skippedNodes.length} skipped (definition not readable): ${formatUnreadable(report.skippedNodes)}` : ''}`,
  ];
}
