import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmulator, type Emulator } from '../sim/index.js';
import { checkClientParse } from './client-parse.js';
import { compareTranscripts, type Difference } from './compare.js';
import { IdBook } from './id-book.js';
import { DEFAULT_KNOBS, defaultFixturesDir, findScenario, loadReference, runScenario } from './run-scenario.js';
import type { EmulatorKnobs } from './scenario.js';
import { scenarios } from './scenarios/index.js';

export interface ConformanceOptions {
  /** Only this scenario (id, name or file prefix); the ones before it still run, unreported, to set the server up. */
  scenario?: string;
  /** Print nothing (the caller prints the returned report as JSON). */
  json?: boolean;
  /** Check this server (a real ComfyUI) instead of a fresh emulator. */
  worker?: string;
  fixturesDir?: string;
  /** Emulator time scale; small so the suite runs fast. */
  timeScale?: number;
  knobs?: EmulatorKnobs;
  /** Writes each live transcript here as NN-name.json (the recording format). */
  recordDir?: string;
  print?: (line: string) => void;
}

export interface ConformanceRow {
  scenario: string;
  client_parse: 'pass' | 'fail';
  emulator: 'pass' | 'fail';
  differences: number;
  first_difference?: string;
  /** The differences themselves (up to 50), and the allowed ones with their reasons. */
  details: Difference[];
  allowed: Array<Difference & { reason: string }>;
  client_parse_failures: string[];
}

export interface ConformanceReport {
  target: string;
  rows: ConformanceRow[];
  ok: boolean;
}

export function formatDifference(d: Difference): string {
  return `${d.scenario} ${d.where} ${d.path}: expected ${d.expected}, got ${d.actual}`;
}

/** The per-scenario table printed by `npm run conformance`. */
export function formatTable(report: ConformanceReport): string {
  const head = ['scenario', 'client_parse', 'emulator', 'differences', 'first_difference'];
  const body = report.rows.map((r) => [r.scenario, r.client_parse, r.emulator, String(r.differences), r.first_difference ?? '']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => Math.min((row[i] ?? '').length, i === 4 ? 120 : 40))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 4 ? c.slice(0, 120) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  const lines = [`conformance against ${report.target}`, line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  const allowed = report.rows.flatMap((r) => r.allowed.map((a) => `  allowed: ${formatDifference(a)} (${a.reason})`));
  if (allowed.length > 0) lines.push('', 'allowed differences:', ...allowed);
  lines.push('', report.ok ? 'all scenarios conform' : 'conformance FAILED');
  return lines.join('\n');
}

/**
 * Runs the conformance suite: (a) the client's parsers over every recorded frame and body,
 * (b) every scenario replayed against a fresh emulator (or `worker`) in the recorded order,
 * each live transcript compared with its recording.
 */
export async function runConformance(options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const fixturesDir = options.fixturesDir ?? defaultFixturesDir();
  const selected = options.scenario ? findScenario(options.scenario) : undefined;
  const lastIndex = selected ? scenarios.indexOf(selected) : scenarios.length - 1;
  const knobs = options.knobs ?? DEFAULT_KNOBS;
  let emulator: Emulator | undefined;
  // The recordings come from `main.py --cpu`: the emulator plays the same device.
  const baseUrl = options.worker ?? (emulator = await startEmulator({ profile: 'cpu', comfyui: '0.3.64', timeScale: options.timeScale ?? 0.01 })).url;
  const ids = new IdBook();
  const rows: ConformanceRow[] = [];
  try {
    for (const script of scenarios.slice(0, lastIndex + 1)) {
      const reported = !selected || script === selected;
      const reference = loadReference(script, fixturesDir);
      const label = `${script.id}-${script.name}`;
      let details: Difference[] = [];
      try {
        const live = await runScenario(script.id, baseUrl, { ids, fixturesDir, knobs, ...(emulator ? { emulator } : {}) });
        if (options.recordDir) await writeFile(path.join(options.recordDir, script.file), `${JSON.stringify(live, null, 2)}\n`);
        if (!reference) details = [{ scenario: label, where: 'recording', path: '$', expected: script.file, actual: 'missing' }];
        else details = compareTranscripts(reference, live, { scenario: label, substitutions: ids.substitutions() });
      } catch (error) {
        details = [{ scenario: label, where: 'run', path: '$', expected: 'the scenario to complete', actual: error instanceof Error ? error.message : String(error) }];
      }
      if (!reported) continue;
      const allowed: ConformanceRow['allowed'] = [];
      const remaining: Difference[] = [];
      for (const d of details) {
        const rule = script.allowedDifferences?.find((a) => a.match.test(`${d.where} ${d.path}`));
        if (rule) allowed.push({ ...d, reason: rule.reason });
        else remaining.push(d);
      }
      const parse = reference ? checkClientParse(reference, fixturesDir) : { ok: false, failures: ['recording missing'] };
      rows.push({
        scenario: label,
        client_parse: parse.ok ? 'pass' : 'fail',
        emulator: remaining.length === 0 ? 'pass' : 'fail',
        differences: remaining.length,
        ...(remaining[0] ? { first_difference: formatDifference(remaining[0]) } : {}),
        details: remaining,
        allowed,
        client_parse_failures: parse.failures,
      });
    }
  } finally {
    await emulator?.close();
  }
  const report: ConformanceReport = {
    target: options.worker ?? 'emulator',
    rows,
    ok: rows.length > 0 && rows.every((r) => r.client_parse === 'pass' && r.emulator === 'pass'),
  };
  if (!options.json) (options.print ?? ((line: string) => process.stdout.write(`${line}\n`)))(formatTable(report));
  return report;
}
