import { startEmulator, type Emulator } from '../../sim/index.js';
import { DIFFERENTIAL_CASES, type DifferentialCase } from './cases.js';
import { compareObservations } from './compare.js';
import { differentialInputs } from './inputs.js';
import { DifferentialTarget } from './observe.js';

export interface DifferentialOptions {
  /** A real ComfyUI 0.3.64 (started with --cpu) to compare with. */
  worker: string;
  /** Compare with this emulator instead of starting one (profile cpu, real time). */
  emulator?: string;
  /** Only the cases whose id contains this text. */
  only?: string;
  /** Upper bound of each wait for a prompt to finish. */
  timeoutMs?: number;
  print?: (line: string) => void;
}

export interface DifferentialRow {
  graph: string;
  nodes: string;
  kind: DifferentialCase['kind'];
  /** "max |Δ| ≤ n" on 8-bit pixels, or what else is compared. */
  tolerance: string;
  result: 'pass' | 'fail';
  max_abs?: number;
  images: number;
  /** Execution time from execution_start to the end, each side (ms). */
  real_ms?: number;
  emulator_ms?: number;
  differences: string[];
}

export interface DifferentialReport {
  target: string;
  rows: DifferentialRow[];
  ok: boolean;
}

function toleranceText(c: DifferentialCase): string {
  if (c.kind === 'invalid') return 'status + body equal';
  if (c.kind === 'runtime-error') return 'error type + message equal';
  if (c.kind === 'interrupted') return 'messages + history equal';
  return c.tolerance === undefined ? 'messages + history equal' : `max |Δ| ≤ ${c.tolerance}`;
}

/** The table printed by `storycore conformance --differential`. */
export function formatDifferentialTable(report: DifferentialReport): string {
  const head = ['graph', 'node(s)', 'tolerance', 'result', 'max |Δ|', 'real ms', 'emulator ms'];
  const body = report.rows.map((r) => [
    r.graph,
    r.nodes,
    r.tolerance,
    r.result,
    r.max_abs === undefined ? '-' : String(r.max_abs),
    r.real_ms === undefined ? '-' : String(Math.round(r.real_ms)),
    r.emulator_ms === undefined ? '-' : String(Math.round(r.emulator_ms)),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const lines = [`differential suite: emulator vs ${report.target}`, line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  for (const r of report.rows) for (const d of r.differences) lines.push(`  ${r.graph}: ${d}`);
  const passed = report.rows.filter((r) => r.result === 'pass').length;
  lines.push('', `${passed}/${report.rows.length} graphs agree${report.ok ? '' : ' — differential suite FAILED'}`);
  return lines.join('\n');
}

/**
 * The differential suite: every graph of DIFFERENTIAL_CASES goes to a real ComfyUI and to the
 * emulator (same uploaded inputs, same requests, in the same order), and the two are compared
 * on status, body, execution messages, history, and saved pixels within each graph's tolerance.
 */
export async function runDifferential(options: DifferentialOptions): Promise<DifferentialReport> {
  const timeoutMs = options.timeoutMs ?? 180_000;
  const cases = DIFFERENTIAL_CASES.filter((c) => !options.only || c.id.includes(options.only));
  let emulator: Emulator | undefined;
  const emulatorUrl = options.emulator ?? (emulator = await startEmulator({ profile: 'cpu', timeScale: 1 })).url;
  const real = await DifferentialTarget.open(options.worker);
  const emu = await DifferentialTarget.open(emulatorUrl);
  const rows: DifferentialRow[] = [];
  try {
    const inputs = await differentialInputs();
    for (const c of cases) {
      const a = await real.run(c, inputs, timeoutMs);
      const b = await emu.run(c, inputs, timeoutMs);
      const cmp = compareObservations(c, a, b);
      const row: DifferentialRow = {
        graph: c.id,
        nodes: c.nodes,
        kind: c.kind,
        tolerance: toleranceText(c),
        result: cmp.differences.length === 0 ? 'pass' : 'fail',
        images: cmp.images,
        differences: cmp.differences,
      };
      if (cmp.maxAbs !== undefined) row.max_abs = cmp.maxAbs;
      if (a.elapsedMs !== undefined) row.real_ms = a.elapsedMs;
      if (b.elapsedMs !== undefined) row.emulator_ms = b.elapsedMs;
      rows.push(row);
      options.print?.(`${row.result === 'pass' ? 'ok  ' : 'FAIL'} ${c.id}${cmp.differences.length ? `: ${cmp.differences[0]}` : ''}`);
    }
  } finally {
    await real.close();
    await emu.close();
    await emulator?.close();
  }
  return { target: options.worker, rows, ok: rows.every((r) => r.result === 'pass') };
}
