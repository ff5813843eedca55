/** What every benchmark returns to the dispatcher: rows for the table, goals checked, raw data. */
export interface BenchReport {
  name: string;
  description: string;
  rows: Array<Record<string, string | number>>;
  goals: Array<{ metric: string; value: number; goal: string; ok: boolean }>;
  /** Further tables printed after the main one, each under its title. */
  tables?: Array<{ title: string; rows: Array<Record<string, string | number>> }>;
  data: Record<string, unknown>;
}

export type BenchRunner = (args: string[]) => Promise<BenchReport>;

/** A plain fixed-width table (no dependency, stable in CI logs). */
export function formatTable(rows: Array<Record<string, string | number>>): string {
  if (rows.length === 0) return '(no rows)';
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: string | number | undefined) => (v === undefined ? '' : typeof v === 'number' ? formatNumber(v) : v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 0 : 2);
}
