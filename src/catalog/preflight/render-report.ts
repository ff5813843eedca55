import { formatBytes } from './bytes.js';
import type { PreflightReport, ProblemKind } from './types.js';

const LABELS: Record<ProblemKind, string> = {
  missing_node: 'missing node',
  unreadable_node: 'unreadable node',
  missing_model: 'missing model',
  wrong_folder: 'wrong folder',
  validation: 'invalid',
  output_kind: 'output',
  vram: 'VRAM',
};

/**
 * The report as terminal lines: a header naming the worker and the verdict, one entry per
 * problem with its fix, then what to install with sizes, URLs and the total download.
 *
 * @example
 * worker gpu-1 (http://10.0.0.5:8188, NVIDIA GeForce RTX 4090, 24 GB): 2 problems
 *   missing node: node 4 (RIFE VFI): not on the worker; it comes from the ComfyUI-Frame-Interpolation pack (https://…)
 *     fix: install ComfyUI-Frame-Interpolation (https://…)
 */
export function renderPreflightReport(report: PreflightReport): string[] {
  const gpu = [report.worker.gpuName, report.worker.vramBytes !== undefined ? formatBytes(report.worker.vramBytes) : undefined].filter(Boolean).join(', ');
  const where = [report.worker.url, gpu].filter(Boolean).join(', ');
  const subject = `${report.template ? `${report.template} on ` : ''}worker ${report.worker.name}${where && where !== report.worker.name ? ` (${where})` : ''}`;
  const count = report.problems.length;
  const lines = [`${subject}: ${report.ok ? 'ready' : `${count} problem${count === 1 ? '' : 's'}`}`];
  for (const problem of report.problems) {
    lines.push(`  ${LABELS[problem.kind]}: ${problem.message}`);
    lines.push(`    fix: ${problem.fix}`);
  }
  const { nodePacks, models, totalBytes } = report.toInstall;
  if (nodePacks.length > 0 || models.length > 0) {
    lines.push('  to install:');
    for (const pack of nodePacks) {
      const name = pack.pack === 'core' ? 'ComfyUI update' : pack.pack;
      lines.push(`    ${name}${pack.repository ? `  ${pack.repository}` : ''}  (${pack.classes.join(', ')})`);
    }
    for (const model of models) {
      const size = model.sizeBytes !== undefined ? `${model.sizeEstimated ? '≈' : ''}${formatBytes(model.sizeBytes)}` : 'size unknown';
      lines.push(`    ${model.folder}/${model.file}  ${size}  ${model.url ?? '(not in the catalogue: download by hand)'}`);
    }
    if (models.length > 0) {
      const estimated = models.some((m) => m.sizeEstimated || m.sizeBytes === undefined);
      lines.push(`    total download: ${estimated ? '≈' : ''}${formatBytes(totalBytes)} in ${models.length} file${models.length === 1 ? '' : 's'}`);
    }
  }
  const uploads = [...report.inputs.images, ...report.inputs.videos];
  if (uploads.length > 0) lines.push(`  input files to upload before running: ${uploads.join(', ')}`);
  return lines;
}
